// The add/edit form's fields and their checks as the person types: what the main process would refuse, said first.

import { computed, reactive, ref } from 'vue';
import { OTP_ALGORITHMS, OTP_KINDS, type EntryView, type RequestOf } from '../../ipc/contract';

export type EntryField = 'service' | 'account' | 'secret' | 'digits' | 'period' | 'counter' | 'note';

/** A message key under `vault.editor.errors` with its values, for the field at fault. */
export interface FieldProblem {
  key: string;
  values?: Record<string, number>;
}

const BASE32 = /^[A-Z2-7]+$/;
// Base32 lengths that cannot end a whole number of bytes (RFC 4648 §6): 1, 3 or 6 characters past a block of 8.
const IMPOSSIBLE_TAILS = new Set([1, 3, 6]);

/** What a pasted secret becomes: no spaces, dashes or padding, upper case (how authenticators print them). */
export function normaliseSecret(secret: string): string {
  return secret
    .replace(/[\s-]+/g, '')
    .replace(/=+$/, '')
    .toUpperCase();
}

export function useVaultEntryForm(options: { editing?: EntryView | undefined } = {}) {
  const editing = options.editing;
  const fields = reactive({
    otpType: editing?.otpType ?? ('totp' as (typeof OTP_KINDS)[number]),
    service: editing?.service ?? '',
    account: editing?.account ?? '',
    digits: editing?.digits ?? 6,
    algorithm: editing?.algorithm ?? ('sha1' as (typeof OTP_ALGORITHMS)[number]),
    period: editing?.period ?? 30,
    counter: editing?.counter ?? 0,
    note: editing?.note ?? '',
  });
  /** The secret lives apart so it can be wiped on its own; in edit mode it stays empty unless a new one is typed. */
  const secret = ref('');
  /** Fields the person has changed: their problems show as they type, the others' only on submit. */
  const touched = reactive(new Set<EntryField>());
  /** A field the main process refused, with its sentence, until that field changes. */
  const refused = ref<{ field: string; message: string } | undefined>();

  const steam = computed(() => fields.otpType === 'steamtotp');

  const problems = computed(() => {
    const found: Partial<Record<EntryField, FieldProblem>> = {};
    const service = fields.service.trim();
    if (service === '') found.service = { key: 'serviceRequired' };
    else if (service.includes(':')) found.service = { key: 'noColon' };
    if (fields.account.includes(':')) found.account = { key: 'noColon' };
    const normalised = normaliseSecret(secret.value);
    if (normalised === '') {
      if (!editing) found.secret = { key: 'secretRequired' };
    } else if (!BASE32.test(normalised)) found.secret = { key: 'secretBase32' };
    else if (IMPOSSIBLE_TAILS.has(normalised.length % 8)) found.secret = { key: 'secretLength' };
    if (!steam.value && !(Number.isInteger(fields.digits) && fields.digits >= 6 && fields.digits <= 10)) {
      found.digits = { key: 'digits', values: { min: 6, max: 10 } };
    }
    if (
      fields.otpType === 'totp' &&
      !(Number.isInteger(fields.period) && fields.period >= 1 && fields.period <= 3600)
    ) {
      found.period = { key: 'period', values: { min: 1, max: 3600 } };
    }
    if (fields.otpType === 'hotp' && !(Number.isInteger(fields.counter) && fields.counter >= 0)) {
      found.counter = { key: 'counter' };
    }
    return found;
  });

  const valid = computed(() => Object.keys(problems.value).length === 0);

  /** The problem to show for a field now: the main process's refusal, or a local one once the field was touched. */
  function problemOf(field: EntryField, showAll: boolean): FieldProblem | { message: string } | undefined {
    if (refused.value?.field === field) return { message: refused.value.message };
    return touched.has(field) || showAll ? problems.value[field] : undefined;
  }

  function touch(field: EntryField): void {
    touched.add(field);
    if (refused.value?.field === field) refused.value = undefined;
  }

  /** The fields for `vault:addEntry`; Steam's digits, period and algorithm are fixed by Steam. */
  function toAdd(): Extract<RequestOf<'vault:addEntry'>, { fields: unknown }>['fields'] {
    const request: Extract<RequestOf<'vault:addEntry'>, { fields: unknown }>['fields'] = {
      otpType: fields.otpType,
      service: fields.service.trim(),
      account: fields.account.trim(),
      secret: normaliseSecret(secret.value),
    };
    if (!steam.value) {
      request.digits = fields.digits;
      request.algorithm = fields.algorithm;
    }
    if (fields.otpType === 'totp') request.period = fields.period;
    if (fields.otpType === 'hotp') request.counter = fields.counter;
    if (fields.note.trim() !== '') request.note = fields.note;
    return request;
  }

  /** Only what changed, for `vault:editEntry`; the secret only when a new one was typed. */
  function toEdit(entry: EntryView): RequestOf<'vault:editEntry'>['changes'] {
    const all = toAdd();
    const changes: RequestOf<'vault:editEntry'>['changes'] = {};
    if (all.otpType !== entry.otpType) changes.otpType = all.otpType;
    if (all.service !== entry.service) changes.service = all.service;
    if (all.account !== entry.account) changes.account = all.account;
    if (all.secret !== '') changes.secret = all.secret;
    if (all.digits !== undefined && all.digits !== entry.digits) changes.digits = all.digits;
    if (all.algorithm !== undefined && all.algorithm !== entry.algorithm) changes.algorithm = all.algorithm;
    if (all.period !== undefined && all.period !== entry.period) changes.period = all.period;
    if (all.counter !== undefined && all.counter !== entry.counter) changes.counter = all.counter;
    if ((all.note ?? '') !== (entry.note ?? '')) changes.note = all.note ?? '';
    return changes;
  }

  /** Forgets the secret the person typed: called right after every submit, whatever its outcome. */
  function wipeSecret(): void {
    secret.value = '';
    touched.delete('secret');
  }

  return { fields, secret, steam, problems, valid, touched, refused, problemOf, touch, toAdd, toEdit, wipeSecret };
}
