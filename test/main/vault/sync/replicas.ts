// Replicas of one vault for the sync tests: desktops with their own clocks, the edits a person makes on each, and a
// view of what a copy holds (clocks, tombstones, contents, slots) that ignores only the nonces of resealed entries.

import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { open } from '../../../../src/main/vault/crypto/aesGcm.js';
import { entryAad } from '../../../../src/main/vault/crypto/additionalData.js';
import { canonicalJson } from '../../../../src/main/vault/crypto/canonicalJson.js';
import { subkey } from '../../../../src/main/vault/crypto/subkeys.js';
import { bytes } from '../../../../src/main/vault/file/encodedBytes.js';
import { deleteEntry, openEntries, putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { addSlot } from '../../../../src/main/vault/slots/addSlot.js';
import { newFido2Salt } from '../../../../src/main/vault/slots/makeSlot.js';
import { removeSlot } from '../../../../src/main/vault/slots/removeSlot.js';
import { slotSetMacMatches } from '../../../../src/main/vault/slots/slotSetMac.js';
import type { UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { ENTRY_SECRET, FakeHmacKey } from '../slots/testVault.js';

export const ENTRY_IDS = [0, 1, 2, 3].map((i) => `00000000-0000-4000-8000-00000000010${i}`);

/** A desktop: its copy of the vault and its own clock, whose wall time moves 1 ms per edit (so clocks tie often). */
export class Replica {
  readonly clock: HybridLogicalClock;
  #now = 1_800_000_000_000;

  constructor(
    readonly device: string,
    public vault: UnlockedVault,
  ) {
    this.clock = new HybridLogicalClock({ device, now: () => (this.#now += 1) });
  }

  entry(id: string): Record<string, unknown> | undefined {
    const found = openEntries(this.vault).find((e) => e.id === id);
    return found && (JSON.parse(Buffer.from(found.data).toString('utf8')) as Record<string, unknown>);
  }

  /** Adds or edits an HOTP entry's service name, keeping its counter. */
  put(id: string, service: string): void {
    const counter = (this.entry(id)?.counter as number | undefined) ?? 0;
    this.vault = putEntry(this.vault, { id, data: hotpJson(service, counter) }, this.clock.tick());
  }

  /** Shows the entry's next HOTP code: the counter written first, as nextHotpCode asks. */
  step(id: string): void {
    const entry = this.entry(id);
    if (!entry) return;
    const data = Buffer.from(JSON.stringify({ ...entry, counter: (entry.counter as number) + 1 }));
    this.vault = putEntry(this.vault, { id, data }, this.clock.tick());
  }

  delete(id: string): void {
    if (this.entry(id)) this.vault = deleteEntry(this.vault, id, this.clock.tick());
  }

  /** Registers a new key; returns it, its salt and its slot's id, so a test can unlock with it. */
  async addKey(): Promise<{ key: FakeHmacKey; salt: Buffer; slotId: string }> {
    const key = new FakeHmacKey();
    const salt = newFido2Salt();
    const added = await addSlot(
      this.vault,
      { type: 'fido2-hmac-secret', key: key.answer(salt, true), salt },
      this.clock,
    );
    this.vault = added.vault;
    return { key, salt, slotId: added.slotId };
  }

  /** Revokes the `which`-th live key slot, if there is one. */
  removeKey(which: number): void {
    const live = Object.entries(this.vault.body.slots).filter(([, s]) => s.type === 'fido2-hmac-secret' && !s.deleted);
    if (live.length) this.vault = removeSlot(this.vault, live[which % live.length]![0], this.clock);
  }
}

export function hotpJson(service: string, counter: number): Buffer {
  return Buffer.from(
    JSON.stringify({ otp_type: 'hotp', service, account: 'me@example.org', secret: ENTRY_SECRET, counter }),
  );
}

export interface EntryView {
  deleted: boolean;
  hlc: string;
  content: string;
}

/** What a copy holds, in a form `toEqual` compares; fails when a record does not open or the slot MAC does not match. */
export function viewOf(vault: UnlockedVault) {
  const { body, master } = vault;
  const header = { vault: body.vault, epoch: body.epoch };
  if (!slotSetMacMatches(master, header, body.mode, body.slots, bytes(body.slotsMac)))
    throw new Error('the slot set does not match its MAC');
  const key = subkey(master, 'entries');
  const entries: Record<string, EntryView> = {};
  for (const id of Object.keys(body.entries).sort()) {
    const record = body.entries[id]!;
    const data = open(
      key,
      { nonce: bytes(record.nonce), ciphertext: bytes(record.ciphertext) },
      entryAad(header, id, record.hlc, record.deleted),
    );
    if (!data) throw new Error(`entry ${id} does not open`);
    entries[id] = { deleted: record.deleted, hlc: canonicalJson(record.hlc), content: data.toString('utf8') };
  }
  return {
    vault: body.vault,
    epoch: body.epoch,
    mode: body.mode,
    master: master.toString('hex'),
    slots: canonicalJson(body.slots),
    entries,
  };
}
