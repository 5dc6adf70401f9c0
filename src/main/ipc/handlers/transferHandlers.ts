// Handlers of imports (files, a QR picture, the screen) and exports: previews hold no secret, commits add.

import { randomUUID } from 'node:crypto';
import type { ImportPreview, RequestOf } from '../../../ipc/contract.js';
import { readImportData, readScreenImport, type ExportFormat } from '../../services/index.js';
import type { ParsedImport } from '../../vault/index.js';
import type { DesktopCore } from '../DesktopCore.js';
import type { ChannelHandlers } from './ChannelHandler.js';

type TransferChannel = 'import:preview' | 'import:scan' | 'import:commit' | 'export:write';

/** Previews an import against the vault and keeps its entries (secrets included) in the core until commit or lock. */
async function preview(core: DesktopCore, read: () => Promise<ParsedImport>): Promise<ImportPreview> {
  const vault = await core.session.vault();
  const parsed = await read();
  const sorted = vault.previewImport(parsed);
  const entries = [...sorted.toAdd, ...sorted.duplicates.map((d) => d.entry)];
  const token = randomUUID();
  core.pendingImport = { token, entries };
  const candidate = (entry: (typeof entries)[number], index: number, duplicate: boolean) => ({
    index,
    otpType: entry.input.otp_type,
    service: entry.input.service,
    account: entry.input.account,
    duplicate,
  });
  return {
    token,
    format: parsed.format,
    candidates: entries.map((entry, index) => candidate(entry, index, index >= sorted.toAdd.length)),
    problems: sorted.notImported.map((n) => `${n.source}: ${n.reason}`),
  };
}

/** The contract's export kinds to the vault's formats and whether they take a password. */
const EXPORTS: Record<
  RequestOf<'export:write'>['format'],
  { format: ExportFormat; password: 'required' | 'none' | 'optional'; name: string }
> = {
  latchkey: { format: 'latchkey', password: 'required', name: 'latchkey-export.json' },
  aegis: { format: 'aegis', password: 'required', name: 'aegis-export.json' },
  'aegis-plain': { format: 'aegis', password: 'none', name: 'aegis-export-plain.json' },
  '2fauth': { format: '2fauth', password: 'none', name: '2fauth-export.json' },
  otpauth: { format: 'otpauth', password: 'none', name: 'otpauth-uris.txt' },
  qr: { format: 'google-qr', password: 'none', name: 'google-authenticator-transfer.png' },
};

export const transferHandlers: ChannelHandlers<TransferChannel> = {
  async 'import:preview'(core, { files, password }) {
    return preview(core, () =>
      readImportData(files, {
        ...(password === undefined ? {} : { password: async () => Buffer.from(password, 'utf8') }),
      }),
    );
  },

  async 'import:scan'(core, request) {
    if ('image' in request) return preview(core, () => readImportData([{ name: 'the picture', data: request.image }]));
    const screens = await core.shell.captureScreens();
    return preview(core, () => readScreenImport(screens));
  },

  async 'import:commit'(core, { token, indexes }) {
    const pending = core.pendingImport;
    if (!pending || pending.token !== token)
      throw new RangeError('this import preview is no longer current: read the files again');
    const chosen = [...new Set(indexes)].map((i) => {
      const entry = pending.entries[i];
      if (!entry) throw new RangeError(`the import has no entry ${i}; it has ${pending.entries.length}`);
      return entry;
    });
    const vault = await core.session.vault();
    const result = await vault.importEntries(
      chosen.map((e) => ({
        input: e.input,
        groups: e.groups,
        ...(e.note === undefined ? {} : { note: e.note }),
        ...(e.favourite === undefined ? {} : { favourite: e.favourite }),
        ...(e.icon === undefined ? {} : { icon: e.icon }),
      })),
    );
    core.pendingImport = undefined;
    return { added: result.added.length, skipped: pending.entries.length - result.added.length };
  },

  async 'export:write'(core, { format, password }) {
    const kind = EXPORTS[format];
    if (kind.password === 'required' && password === undefined)
      throw new RangeError(`this export is encrypted: give it a password`);
    const secret = kind.password !== 'none' && password !== undefined ? Buffer.from(password, 'utf8') : undefined;
    try {
      const made = await core.prompter.withAnswers({}, () =>
        core.session.exportVault({ format: kind.format, ...(secret === undefined ? {} : { password: secret }) }),
      );
      let path: string | undefined;
      for (const [i, data] of made.files.entries()) {
        const name = made.files.length === 1 ? kind.name : kind.name.replace(/(\.\w+)$/, `-${i + 1}$1`);
        const written = await core.shell.saveFile({ defaultName: name, data });
        if (written === undefined) break;
        path ??= written;
      }
      return { ...(path === undefined ? {} : { path }), entries: made.entries };
    } finally {
      secret?.fill(0);
    }
  },
};
