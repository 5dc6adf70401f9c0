// The IPC contract: every channel the renderer may call and every event the main process sends, as zod schemas.

import { z } from 'zod';

// The preload and the page run under a CSP without 'unsafe-eval': zod must not probe `new Function` there.
z.config({ jitless: true });

// Values that cross the process boundary. Strings are bounded so that a hostile renderer cannot make the main
// process hold megabytes per call; secrets the person types (password, PIN, recovery code, an entry's secret) travel
// renderer -> main only, never back.

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(200);
const email = z.string().trim().min(3).max(254);
const password = z.string().min(1).max(1024);
const keyName = z.string().trim().min(1).max(64);
const instant = z.string().max(40);
/** Raw bytes (an image, an import file): a Uint8Array, at most 20 MiB. */
const bytes = z.instanceof(Uint8Array).refine((b) => b.length <= 20 * 1024 * 1024, 'at most 20 MiB');

export const SIGN_IN_MODES = ['password-or-key', 'password-and-key', 'key-only'] as const;
export const USER_VERIFICATION_POLICIES = ['required', 'preferred', 'discouraged'] as const;
export const LOCK_REASONS = ['manual', 'idle', 'os-lock', 'suspend', 'key-removed', 'signed-out'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;
export const LANGUAGES = ['system', 'en', 'fr'] as const;
export const OTP_KINDS = ['totp', 'hotp', 'steamtotp'] as const;
export const OTP_ALGORITHMS = ['sha1', 'sha256', 'sha512', 'md5'] as const;
export const ENTRY_ORDERS = ['manual', 'service', 'account', 'recent'] as const;
export const EXPORT_KINDS = ['latchkey', '2fauth', 'aegis', 'aegis-plain', 'otpauth', 'qr'] as const;

// The shapes the main process answers with.

export const accountView = z.strictObject({
  email: z.string(),
  signInMode: z.enum(SIGN_IN_MODES),
  hasRecoveryCode: z.boolean(),
  keyCount: z.number().int(),
  createdAt: instant,
});
export type AccountView = z.infer<typeof accountView>;

export const preferences = z.strictObject({
  /** Minutes without activity before the vault locks; 0: never. */
  autoLockMinutes: z.number().int().min(0).max(1440),
  lockOnOsLock: z.boolean(),
  lockOnKeyRemoval: z.boolean(),
  /** Seconds before a copied code leaves the clipboard; 0: it stays. */
  clipboardClearSeconds: z.number().int().min(0).max(600),
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
  startAtLogin: z.boolean(),
  minimiseToTray: z.boolean(),
  /** How the vault list is ordered. */
  entryOrder: z.enum(ENTRY_ORDERS),
});
export type Preferences = z.infer<typeof preferences>;

export const appState = z.strictObject({
  /** The accounts of the data folder, by email, for the sign-in screen. */
  accounts: z.array(z.strictObject({ email: z.string(), signInMode: z.enum(SIGN_IN_MODES) })),
  /** The signed-in account; absent when signed out or locked. */
  account: accountView.optional(),
  /** `open`: codes can be shown; `locked`: signed in but the vault did not open (with why); `none`: signed out. */
  vault: z.enum(['open', 'locked', 'none']),
  vaultLockedReason: z.string().optional(),
  userVerification: z.enum(USER_VERIFICATION_POLICIES),
  preferences,
  /** The operating system, for wording (Cmd or Ctrl, udev or administrator). */
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
});
export type AppState = z.infer<typeof appState>;

export const keyView = z.strictObject({
  id: z.string(),
  name: z.string(),
  addedAt: instant,
  lastUsedAt: instant.nullable(),
  aaguid: z.string(),
  /** The model, when the AAGUID is one Latchkey knows. */
  model: z.string().optional(),
  passwordless: z.boolean(),
  cloneWarning: z.boolean(),
  /**
   * How the key opens the vault: `hmac-secret`, its own secret; `os-keychain`, through the OS keychain (a key without
   * hmac-secret, in the desktop app: weaker, any program running as the person can ask the keychain); `none`, it signs
   * in but does not open the vault.
   */
  vaultUnlock: z.enum(['hmac-secret', 'os-keychain', 'none']),
  transports: z.array(z.string()),
});
export type KeyView = z.infer<typeof keyView>;

export const guardAnswer = z.strictObject({
  allowed: z.boolean(),
  /** Why not, one sentence, when refused. */
  reason: z.string().optional(),
});
export type GuardAnswer = z.infer<typeof guardAnswer>;

export const deviceView = z.strictObject({
  name: z.string(),
  transport: z.enum(['usb', 'nfc']),
  /** `ready`: usable; `problem`: seen but cannot be used (with why and what to do). */
  status: z.enum(['ready', 'problem']),
  problem: z.string().optional(),
});
export const devicesView = z.strictObject({
  devices: z.array(deviceView),
  /** Transports that cannot work here (pcscd not running, no HID access), with why. */
  unavailable: z.array(z.strictObject({ transport: z.enum(['usb', 'nfc']), reason: z.string() })),
});
export type DevicesView = z.infer<typeof devicesView>;

export const entryView = z.strictObject({
  id: z.string(),
  otpType: z.enum(OTP_KINDS),
  service: z.string(),
  account: z.string(),
  digits: z.number().int(),
  algorithm: z.enum(OTP_ALGORITHMS),
  period: z.number().int().optional(),
  counter: z.number().int().optional(),
  /** An icon key for `vault:icon`: the entry's own picture, or a bundled brand icon matched by service name. */
  icon: z.string().optional(),
  groups: z.array(z.string()),
  favourite: z.boolean(),
  order: z.number(),
  note: z.string().optional(),
  modifiedAt: instant.optional(),
});
export type EntryView = z.infer<typeof entryView>;

export const groupView = z.strictObject({ id: z.string(), name: z.string() });
export type GroupView = z.infer<typeof groupView>;

export const codeView = z.strictObject({
  id: z.string(),
  code: z.string(),
  /** For time-based codes: when this code started and stops being valid (ms since the epoch). */
  validFrom: z.number().optional(),
  validUntil: z.number().optional(),
});
export type CodeView = z.infer<typeof codeView>;

/** An entry found in a file, a QR image or on screen, before it is added: never its secret. */
export const candidateView = z.strictObject({
  index: z.number().int(),
  otpType: z.enum(OTP_KINDS),
  service: z.string(),
  account: z.string(),
  /** Already in the vault (same secret, or same service and account). */
  duplicate: z.boolean(),
  /** Why it cannot be added, when it cannot. */
  problem: z.string().optional(),
});
export const importPreview = z.strictObject({
  /** Names the preview for `import:commit`; valid until the next preview or lock. */
  token: z.string(),
  format: z.string(),
  candidates: z.array(candidateView),
  /** What could not be read, one sentence each (a file, a line). */
  problems: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreview>;

const entryFields = z.strictObject({
  otpType: z.enum(OTP_KINDS),
  service: text(255),
  account: text(255),
  secret: text(1024),
  digits: z.number().int().optional(),
  algorithm: z.enum(OTP_ALGORITHMS).optional(),
  period: z.number().int().optional(),
  counter: z.number().int().optional(),
  note: text(10_000).optional(),
});

const none = z.strictObject({});

/** Every channel: its request (one options object) and its answer. */
export const CHANNELS = {
  'app:state': { request: none, answer: appState },
  /** The person did something (a key, a click): the idle timer starts again. */
  'app:activity': { request: none, answer: z.null() },
  'preferences:set': { request: preferences.partial().strict(), answer: preferences },
  /**
   * Copies a text the window shows (the recovery code) the way codes are copied: kept out of clipboard history and
   * cleared after the delay. The page's own clipboard API is refused by the app's permission policy.
   */
  'app:copy': {
    request: z.strictObject({ text: text(200).min(1) }),
    answer: z.strictObject({ clearsInSeconds: z.number() }),
  },

  'account:create': {
    request: z.strictObject({ email, password }),
    /** The recovery code crosses to the renderer this once, to be shown and written down. */
    answer: z.strictObject({ account: accountView, recoveryCode: z.string() }),
  },
  'account:signIn': {
    request: z.strictObject({
      email: email.optional(),
      method: z.enum(['key', 'password']),
      password: password.optional(),
    }),
    answer: appState,
  },
  'account:recover': {
    request: z.strictObject({
      email: email.optional(),
      password,
      recoveryCode: text(200).min(1),
      keyName: keyName.optional(),
    }),
    answer: z.strictObject({ account: accountView, recoveryCode: z.string() }),
  },
  'account:lock': { request: none, answer: z.null() },
  'account:changePassword': { request: z.strictObject({ current: password, next: password }), answer: accountView },
  'account:regenerateRecoveryCode': {
    request: z.strictObject({ password: password.optional() }),
    answer: z.strictObject({ recoveryCode: z.string() }),
  },
  'account:checkSignInMode': { request: z.strictObject({ mode: z.enum(SIGN_IN_MODES) }), answer: guardAnswer },
  'account:setSignInMode': { request: z.strictObject({ mode: z.enum(SIGN_IN_MODES) }), answer: accountView },
  'account:setUserVerification': {
    request: z.strictObject({ policy: z.enum(USER_VERIFICATION_POLICIES) }),
    answer: z.strictObject({ userVerification: z.enum(USER_VERIFICATION_POLICIES) }),
  },

  'keys:list': { request: none, answer: z.array(keyView) },
  'keys:add': { request: z.strictObject({ name: keyName.optional() }), answer: keyView },
  'keys:rename': { request: z.strictObject({ id, name: keyName }), answer: keyView },
  'keys:checkRevoke': { request: z.strictObject({ id }), answer: guardAnswer },
  /** The renderer has asked the person to confirm: the revocation is permanent. */
  'keys:revoke': { request: z.strictObject({ id, turnOffKeyOnly: z.boolean().optional() }), answer: z.array(keyView) },
  'devices:list': { request: none, answer: devicesView },

  'vault:list': { request: none, answer: z.strictObject({ entries: z.array(entryView), groups: z.array(groupView) }) },
  /** The current codes of time-based entries (HOTP codes come from `vault:nextHotp`). */
  'vault:codes': { request: z.strictObject({ ids: z.array(id).max(500) }), answer: z.array(codeView) },
  /** Copies an entry's current code (HOTP: the next one) to the clipboard, cleared after the preference's delay. */
  'vault:copy': {
    request: z.strictObject({ id }),
    answer: z.strictObject({ code: codeView, clearsInSeconds: z.number() }),
  },
  'vault:nextHotp': { request: z.strictObject({ id }), answer: codeView },
  'vault:addEntry': {
    request: z.union([z.strictObject({ uri: text(4096).min(1) }), z.strictObject({ fields: entryFields })]),
    answer: entryView,
  },
  'vault:editEntry': {
    request: z.strictObject({ id, changes: entryFields.partial().strict() }),
    answer: entryView,
  },
  'vault:removeEntry': { request: z.strictObject({ id }), answer: z.null() },
  'vault:setFavourite': { request: z.strictObject({ id, favourite: z.boolean() }), answer: entryView },
  /** Manual order: the entries' ids in their new order (the others keep theirs after these). */
  'vault:reorder': { request: z.strictObject({ ids: z.array(id).max(100_000) }), answer: z.null() },
  'vault:setIcon': {
    request: z.strictObject({ id, image: bytes.nullable() }),
    answer: entryView,
  },
  /** An icon's picture as a data: URL, for an icon key from an entry. */
  'vault:icon': { request: z.strictObject({ key: text(300).min(1) }), answer: z.string().nullable() },
  'groups:create': { request: z.strictObject({ name: text(255).min(1) }), answer: groupView },
  'groups:rename': { request: z.strictObject({ id, name: text(255).min(1) }), answer: groupView },
  'groups:delete': { request: z.strictObject({ id }), answer: z.null() },
  'groups:assign': { request: z.strictObject({ entryId: id, groupId: id, member: z.boolean() }), answer: entryView },

  /** Reads import files (2FAuth, Aegis, andOTP, Google Authenticator QR...) into a preview; nothing is added yet. */
  'import:preview': {
    request: z.strictObject({
      files: z
        .array(z.strictObject({ name: text(255).min(1), data: bytes }))
        .min(1)
        .max(20),
      password: password.optional(),
    }),
    answer: importPreview,
  },
  /** A QR code in a picture, or on screen (`screen: true`): the same preview as a file. */
  'import:scan': {
    request: z.union([z.strictObject({ image: bytes }), z.strictObject({ screen: z.literal(true) })]),
    answer: importPreview,
  },
  'import:commit': {
    request: z.strictObject({ token: text(100).min(1), indexes: z.array(z.number().int().min(0)).max(100_000) }),
    answer: z.strictObject({ added: z.number().int(), skipped: z.number().int() }),
  },
  /** Writes an export where the person chooses (asked again who is there first). */
  'export:write': {
    request: z.strictObject({ format: z.enum(EXPORT_KINDS), password: password.optional() }),
    answer: z.strictObject({ path: z.string().optional(), entries: z.number().int() }),
  },

  /** The person's answer to a prompt the main process showed. */
  'prompt:answer': {
    request: z.strictObject({
      id,
      answer: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('secret'), value: text(1024).min(1) }),
        z.strictObject({ kind: z.literal('choice'), index: z.number().int().min(0) }),
        z.strictObject({ kind: z.literal('yes-no'), yes: z.boolean() }),
        z.strictObject({ kind: z.literal('cancel') }),
      ]),
    }),
    answer: z.null(),
  },
  /** Stops whatever the main process is waiting for (a touch, a key): the operation fails as cancelled. */
  'operation:cancel': { request: none, answer: z.null() },
} as const;

export type Channel = keyof typeof CHANNELS;
export type RequestOf<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
export type AnswerOf<C extends Channel> = z.output<(typeof CHANNELS)[C]['answer']>;

// What the main process asks the person, as events.

export const promptView = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('touch'),
    purpose: z.enum(['select', 'presence', 'fingerprint']),
    device: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('pin'),
    device: z.string().optional(),
    retry: z.enum(['pin-invalid', 'pin-format']).optional(),
    retriesLeft: z.number().int().optional(),
    minPinLength: z.number().int().optional(),
  }),
  z.strictObject({
    kind: z.literal('password'),
    email: z.string().optional(),
    reason: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('choose-key'),
    keys: z.array(z.strictObject({ name: z.string().optional(), transport: z.string() })),
  }),
  z.strictObject({
    kind: z.literal('insert-key'),
    unavailable: z.array(z.strictObject({ transport: z.enum(['usb', 'nfc']), reason: z.string() })),
  }),
  z.strictObject({ kind: z.literal('confirm'), question: z.string() }),
  z.strictObject({ kind: z.literal('fingerprint-retry'), retriesLeft: z.number().int().optional() }),
]);
export type PromptView = z.infer<typeof promptView>;

export const errorView = z.strictObject({
  /** Machine-readable: `invalid-request`, a ServiceError reason, a relying party or vault reason. */
  code: z.string(),
  /** One sentence for the person. */
  message: z.string(),
  /** The field at fault, for a form (`email`, `password`, `secret`...). */
  field: z.string().optional(),
});
export type ErrorView = z.infer<typeof errorView>;

/** Every event: its payload. */
export const EVENTS = {
  prompt: z.strictObject({ id, prompt: promptView }),
  'prompt:closed': z.strictObject({ id }),
  progress: z.strictObject({ step: z.enum(['new-key-wanted', 'recovery-code-accepted', 'vault-key-touch']) }),
  locked: z.strictObject({ reason: z.enum(LOCK_REASONS) }),
  devices: devicesView,
  'vault:changed': none,
  /** Once a second while the vault is open: the main process's clock, for countdowns and code refreshes. */
  tick: z.strictObject({ now: z.number() }),
  warning: z.strictObject({ message: z.string() }),
  /** The shell's menu or tray asks for a screen ("settings", "add entry"). */
  navigate: z.strictObject({ to: z.enum(['vault', 'settings', 'add-entry', 'keys-present']) }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventOf<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** What every call resolves to: a value, or a refusal that names what was wrong. Calls never reject. */
export type Answer<T> = { ok: true; value: T } | { ok: false; error: ErrorView };
