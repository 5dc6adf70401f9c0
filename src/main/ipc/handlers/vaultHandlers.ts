// Handlers of the vault's channels: entries without their secrets, codes, copy, HOTP, edits, order, icons, groups.

import type { CodeView, EntryView, RequestOf } from '../../../ipc/contract.js';
import type { EntrySummary, OpenVault } from '../../services/index.js';
import { imageTypeOf } from '../../vault/index.js';
import { brandIconDataUrl, brandIconFinder, type BrandIconFinder } from '../brandIcons.js';
import type { DesktopCore } from '../DesktopCore.js';
import type { ChannelHandlers } from './ChannelHandler.js';

type VaultChannel =
  | 'vault:list'
  | 'vault:codes'
  | 'vault:copy'
  | 'vault:nextHotp'
  | 'vault:addEntry'
  | 'vault:editEntry'
  | 'vault:removeEntry'
  | 'vault:setFavourite'
  | 'vault:reorder'
  | 'vault:setIcon'
  | 'vault:icon'
  | 'groups:create'
  | 'groups:rename'
  | 'groups:delete'
  | 'groups:assign';

/** Icon keys: the entry's own picture (`icon:<id>`) or a bundled brand logo (`brand:<slug>`). */
function iconKey(vault: OpenVault, entry: EntrySummary, brands: BrandIconFinder): string | undefined {
  if (entry.icon !== null && vault.icon(entry.icon)) return `icon:${entry.icon}`;
  const slug = brands(entry.service);
  return slug === undefined ? undefined : `brand:${slug}`;
}

/** One entry for the window; `brands` from brandIconFinder (one load for a whole list). */
export function entryViewOf(vault: OpenVault, entry: EntrySummary, brands: BrandIconFinder): EntryView {
  const icon = iconKey(vault, entry, brands);
  return {
    id: entry.id,
    otpType: entry.otp_type,
    service: entry.service,
    account: entry.account,
    digits: entry.digits,
    algorithm: entry.algorithm,
    ...(entry.period === null ? {} : { period: entry.period }),
    ...(entry.counter === null ? {} : { counter: entry.counter }),
    ...(icon === undefined ? {} : { icon }),
    groups: [...entry.groups],
    favourite: entry.favourite === true,
    order: entry.order,
    ...(entry.note === '' ? {} : { note: entry.note }),
    modifiedAt: entry.updated_at,
  };
}

export async function entryView(vault: OpenVault, entry: EntrySummary): Promise<EntryView> {
  return entryViewOf(vault, entry, await brandIconFinder());
}

type EntryFields = Extract<RequestOf<'vault:addEntry'>, { fields: unknown }>['fields'];

/** The contract's field names to the vault's (2FAuth's) ones; checkEntry checks the values. */
function entryInput(fields: Partial<EntryFields>) {
  return {
    ...(fields.otpType === undefined ? {} : { otp_type: fields.otpType }),
    ...(fields.service === undefined ? {} : { service: fields.service }),
    ...(fields.account === undefined ? {} : { account: fields.account }),
    ...(fields.secret === undefined ? {} : { secret: fields.secret }),
    ...(fields.digits === undefined ? {} : { digits: fields.digits }),
    ...(fields.algorithm === undefined ? {} : { algorithm: fields.algorithm }),
    ...(fields.period === undefined ? {} : { period: fields.period }),
    ...(fields.counter === undefined ? {} : { counter: fields.counter }),
    ...(fields.note === undefined ? {} : { note: fields.note }),
  };
}

function timedCodeView(id: string, code: { code: string; periodStart: number; period: number }): CodeView {
  return { id, code: code.code, validFrom: code.periodStart, validUntil: code.periodStart + code.period * 1000 };
}

type ListAnswer = { entries: EntryView[]; groups: { id: string; name: string }[] };

/**
 * The list as last answered, per state of the vault: every change makes a new UnlockedVault, so a list is never served
 * for another state, and the window asks again after each change (`vault:changed`) without the views being rebuilt
 * for the 10,000 entries that did not change.
 */
const listed = new WeakMap<object, ListAnswer>();

async function vaultOf(core: DesktopCore): Promise<OpenVault> {
  return core.session.vault();
}

export const vaultHandlers: ChannelHandlers<VaultChannel> = {
  async 'vault:list'(core) {
    const vault = await vaultOf(core);
    const state = vault.current;
    const known = listed.get(state);
    if (known) return known;
    const brands = await brandIconFinder();
    const entries = vault.entries().map((e) => entryViewOf(vault, e, brands));
    const answer = { entries, groups: vault.groups().map((g) => ({ id: g.id, name: g.name })) };
    listed.set(state, answer);
    return answer;
  },

  async 'vault:codes'(core, { ids }) {
    const vault = await vaultOf(core);
    return vault.timedCodes(ids, core.timers.now()).map(({ id, code }) => timedCodeView(id, code));
  },

  async 'vault:copy'(core, { id }) {
    const vault = await vaultOf(core);
    const entry = vault.entry(id);
    let code: CodeView;
    if (entry.otp_type === 'hotp') {
      const next = await vault.nextHotp(id);
      code = { id, code: next.code };
    } else {
      const timed = vault.timedCodes([id], core.timers.now())[0];
      if (!timed) throw new RangeError(`${entry.service} has no code to copy`);
      code = timedCodeView(id, timed.code);
    }
    const seconds = core.preferences.clipboardClearSeconds;
    core.shell.copy(code.code, { clearAfterMs: seconds * 1000 });
    return { code, clearsInSeconds: seconds };
  },

  async 'vault:nextHotp'(core, { id }) {
    const next = await (await vaultOf(core)).nextHotp(id);
    return { id, code: next.code };
  },

  async 'vault:addEntry'(core, request) {
    const vault = await vaultOf(core);
    const added = await vault.addEntry('uri' in request ? request.uri : entryInput(request.fields));
    return entryView(vault, added.entry);
  },

  async 'vault:editEntry'(core, { id, changes }) {
    const vault = await vaultOf(core);
    return entryView(vault, await vault.editEntry(id, entryInput(changes)));
  },

  async 'vault:removeEntry'(core, { id }) {
    await (await vaultOf(core)).removeEntry(id);
    return null;
  },

  async 'vault:setFavourite'(core, { id, favourite }) {
    const vault = await vaultOf(core);
    return entryView(vault, await vault.setFavourite(id, favourite));
  },

  async 'vault:reorder'(core, { ids }) {
    await (await vaultOf(core)).reorder(ids);
    return null;
  },

  async 'vault:setIcon'(core, { id, image }) {
    const vault = await vaultOf(core);
    if (image === null) return entryView(vault, await vault.setIcon(id, null));
    const type = imageTypeOf(image);
    if (type === undefined) throw new RangeError('the icon is not a PNG, JPEG or WebP picture');
    return entryView(vault, await vault.setIcon(id, { mime: `image/${type}`, data: image }));
  },

  async 'vault:icon'(core, { key }) {
    const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'brand') return (await brandIconDataUrl(name)) ?? null;
    if (kind !== 'icon') return null;
    const icon = (await vaultOf(core)).icon(name);
    return icon ? `data:${icon.mime};base64,${icon.data.toString('base64')}` : null;
  },

  async 'groups:create'(core, { name }) {
    const group = await (await vaultOf(core)).createGroup(name);
    return { id: group.id, name: group.name };
  },

  async 'groups:rename'(core, { id, name }) {
    const group = await (await vaultOf(core)).renameGroup(id, name);
    return { id: group.id, name: group.name };
  },

  async 'groups:delete'(core, { id }) {
    await (await vaultOf(core)).deleteGroup(id);
    return null;
  },

  async 'groups:assign'(core, { entryId, groupId, member }) {
    const vault = await vaultOf(core);
    const entry = member ? await vault.assignGroup(entryId, groupId) : await vault.unassignGroup(entryId, groupId);
    return entryView(vault, entry);
  },
};
