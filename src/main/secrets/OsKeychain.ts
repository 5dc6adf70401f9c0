// The operating system's keychain as the vault's os-keychain slots use it: seals and opens a slot key for this user.

/** Whether the keychain can protect a slot key here, and if not, why, in one sentence. */
export type OsKeychainAvailability = { ok: true } | { ok: false; reason: string };

/**
 * Seals bytes so that only this user on this computer can open them (Electron's safeStorage in the desktop app:
 * src/main/app/osKeychain.main.ts; a stand-in in tests). It protects against another user or a copied file, not
 * against a program running as the same user, which may ask the keychain too: slots made with it are weaker than a
 * security key's. Sealing and opening are asynchronous because the OS may ask its own question (macOS Keychain).
 */
export interface OsKeychain {
  available(): Promise<OsKeychainAvailability>;
  /** The keychain's sealed form of `bytes`; the caller zeroes `bytes`. Throws when the keychain cannot seal. */
  seal(bytes: Uint8Array): Promise<Uint8Array>;
  /** The bytes `sealed` holds, which the caller zeroes. Throws when this keychain cannot open them. */
  open(sealed: Uint8Array): Promise<Uint8Array>;
}
