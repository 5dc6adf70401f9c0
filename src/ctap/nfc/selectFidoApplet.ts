// SELECT of the FIDO applet and what its answer says (CTAP 2.2 section 11.3.3 "Applet selection").

import { TransportError } from '../errors.js';
import type { CommandApdu } from '../iso7816/apdu.js';
import { formatStatusWord } from '../iso7816/apdu.js';
import type { ApduChannel, ExchangeContext } from './ApduChannel.js';
import { FIDO_AID, FidoAppletVersion } from './constants.js';
import { Iso7816Ins, SELECT_BY_NAME, SHORT_MAX_NE, StatusWord } from '../iso7816/constants.js';

/** SELECT by name of the FIDO AID, asking for the version string (Le 00). */
export const SELECT_FIDO_APPLET: CommandApdu = {
  cla: 0x00,
  ins: Iso7816Ins.SELECT,
  p1: SELECT_BY_NAME,
  p2: 0x00,
  data: FIDO_AID,
  ne: SHORT_MAX_NE,
};

/** Status words with which cards without a (usable) FIDO applet refuse the SELECT. */
const NO_APPLET_STATUS: ReadonlySet<number> = new Set([StatusWord.FILE_NOT_FOUND, StatusWord.CONDITIONS_NOT_SATISFIED]);

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Selects the FIDO applet and returns its version string. Throws TransportError('no-applet') when the card has no
 * FIDO applet (6A82, 6985, or an answer that is not a FIDO version), so device discovery can pass over it quietly;
 * any other status word is TransportError('apdu') with the SW as detail.
 */
export async function selectFidoApplet(channel: ApduChannel, ctx: ExchangeContext): Promise<FidoAppletVersion> {
  // Always a short APDU: every card takes it, whatever the reader does with extended ones.
  const { data, sw } = await channel.exchange(SELECT_FIDO_APPLET, ctx, 'short');
  if (NO_APPLET_STATUS.has(sw)) {
    throw new TransportError('no-applet', `the card has no FIDO applet (SELECT answered ${formatStatusWord(sw)})`, {
      detail: sw,
    });
  }
  if (sw !== StatusWord.OK) {
    throw new TransportError('apdu', `SELECT of the FIDO applet answered ${formatStatusWord(sw)}, expected 9000`, {
      detail: sw,
    });
  }
  const version = decoder.decode(data);
  if (version === FidoAppletVersion.U2F_V2 || version === FidoAppletVersion.FIDO_2_0) return version;
  throw new TransportError(
    'no-applet',
    `SELECT of the FIDO applet answered ${JSON.stringify(version)}, expected "${FidoAppletVersion.U2F_V2}" or "${FidoAppletVersion.FIDO_2_0}"`,
  );
}
