// Ory Kratos identity import documents: the export matches Ory's documented record shape, and imports round-trip or are refused.

import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../../src/ctap/bytes.js';
import type { KratosIdentity } from '../../../src/main/rp/index.js';
import { createCredential, getAssertion, openTestKey } from '../../support/webauthnResponses.js';
import { EMAIL, expectRefusal, newAccount, openRp, registerKey, signInWithKey, useTempDirs } from './fixture.js';

const tempDir = useTempDirs();

// Ory's documentation example for WebAuthn credentials ("Import identities", WebAuthn credentials), verbatim.
const ORY_DOC_EXAMPLE = {
  schema_id: 'preset://email',
  traits: { email: 'docs-webauthn@example.org' },
  credentials: {
    webauthn: {
      config: {
        user_handle: 'dXNlci1oYW5kbGUtMQ==',
        credentials: [
          {
            id: 'Y3JlZGVudGlhbC1pZC0x',
            public_key: 'cHVibGljLWtleS0x',
            attestation_type: 'none',
            display_name: 'YubiKey',
            is_passwordless: false,
            authenticator: { aaguid: 'YWFndWlkLTE=', sign_count: 10, clone_warning: false },
          },
        ],
      },
    },
  },
};

async function exported() {
  const { rp } = await openRp(await tempDir());
  const { user } = await newAccount(rp);
  const key = await openTestKey({ pin: '1234' });
  const credential = await registerKey(rp, user.id, key, {}, 'Desk key');
  await signInWithKey(rp, key);
  return { rp, user, key, credential, document: await rp.exportKratosIdentity({ userId: user.id }) };
}

describe('Ory Kratos export', () => {
  it("writes credentials.webauthn with identifiers and config.credentials in Ory's field names and encodings", async () => {
    const { rp, user, credential, document } = await exported();
    const stored = rp.listKeys(user.id)[0]!;
    expect(Object.keys(document).sort()).toEqual(['credentials', 'schema_id', 'traits']);
    expect(document.schema_id).toBe('preset://email');
    expect(document.traits).toEqual({ email: EMAIL });
    expect(Object.keys(document.credentials)).toEqual(['webauthn']);
    const { webauthn } = document.credentials;
    expect(webauthn.identifiers).toEqual([EMAIL]);
    expect(Object.keys(webauthn.config).sort()).toEqual(['credentials', 'user_handle']);
    expect(Buffer.from(webauthn.config.user_handle!, 'base64')).toEqual(Buffer.from(fromBase64Url(stored.user_handle)));

    const entry = webauthn.config.credentials[0]!;
    expect(Object.keys(entry).sort()).toEqual([
      'added_at',
      'attestation_type',
      'authenticator',
      'display_name',
      'flags',
      'id',
      'is_passwordless',
      'public_key',
      'transport',
    ]);
    expect(Object.keys(entry.authenticator).sort()).toEqual(['aaguid', 'clone_warning', 'sign_count']);
    expect(Object.keys(entry.flags!).sort()).toEqual([
      'backup_eligible',
      'backup_state',
      'user_present',
      'user_verified',
    ]);
    // Go's []byte: padded standard base64 of the same bytes.
    expect(entry.id).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(entry.id, 'base64')).toEqual(Buffer.from(fromBase64Url(credential.id)));
    expect(entry.public_key).toBe(credential.public_key);
    expect(Buffer.from(entry.authenticator.aaguid, 'base64').toString('hex')).toBe(
      credential.authenticator.aaguid.replace(/-/g, ''),
    );
    expect(entry).toMatchObject({
      attestation_type: 'packed',
      display_name: 'Desk key',
      added_at: credential.added_at,
      is_passwordless: false,
      authenticator: { sign_count: stored.authenticator.sign_count, clone_warning: false },
      flags: { user_present: true, user_verified: true, backup_eligible: false, backup_state: false },
      transport: ['usb'],
    });
  });

  it('round-trips into another data folder, where the same key signs in', async () => {
    const { key, credential, document } = await exported();
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const { imported } = await rp.importKratosIdentity({
      userId: user.id,
      document: JSON.parse(JSON.stringify(document)),
    });
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({
      id: credential.id,
      display_name: 'Desk key',
      public_key: credential.public_key,
      added_at: credential.added_at,
      rp_id: 'latchkey.localhost',
    });
    expect(imported[0]!.authenticator.sign_count).toBeGreaterThan(credential.authenticator.sign_count);
    // Exporting again gives the same document.
    expect(await rp.exportKratosIdentity({ userId: user.id })).toEqual(document);
    const signedIn = await signInWithKey(rp, key);
    expect(signedIn).toMatchObject({ method: 'password+key', key: { id: credential.id } });
  });

  it('round-trips a discoverable key: the account adopts the user handle the key carries', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    // A PIN: key-only needs a key known to verify the user, which the export carries (flags.user_verified).
    const key = await openTestKey({ pin: '1234' });
    await rp.finishKeyRegistration({
      response: await createCredential(
        key,
        await rp.startKeyRegistration({ userId: user.id, residentKey: 'required' }),
      ),
    });
    const document = await rp.exportKratosIdentity({ userId: user.id });

    const target = await openRp(await tempDir());
    const { user: twin } = await newAccount(target.rp);
    await target.rp.importKratosIdentity({ userId: twin.id, document });
    await target.rp.setWebAuthnOnly({ userId: twin.id, enabled: true });
    const signedIn = await target.rp.finishKeySignIn({
      response: await getAssertion(key, await target.rp.startPasswordlessSignIn()),
    });
    expect(signedIn).toMatchObject({ method: 'key', user: { id: twin.id } });
  });

  it("accepts the shape of Ory's documentation example and refuses its placeholder values", async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp, 'docs-webauthn@example.org');
    // The example's AAGUID is the 8 bytes "aaguid-1" and its public key the text "public-key-1".
    await expectRefusal(
      rp.importKratosIdentity({ userId: user.id, document: ORY_DOC_EXAMPLE }),
      'import-invalid',
      /credentials\[0\]\.authenticator\.aaguid is 8 bytes, expected 16/,
    );
    const withAaguid = structuredClone(ORY_DOC_EXAMPLE);
    withAaguid.credentials.webauthn.config.credentials[0]!.authenticator.aaguid = Buffer.alloc(16).toString('base64');
    await expectRefusal(
      rp.importKratosIdentity({ userId: user.id, document: withAaguid }),
      'import-invalid',
      /credentials\.webauthn\.config\.credentials\[0\]\.public_key is not a COSE public key/,
    );
    expect(rp.listKeys(user.id)).toEqual([]);
  });

  describe('refuses, naming the entry and field', () => {
    const cases: [string, (doc: KratosIdentity) => unknown, RegExp][] = [
      [
        'a document for another email',
        (d) => ({ ...d, traits: { email: 'bob@example.com' } }),
        /document is for bob@example\.com, but the keys would join alice@example\.com/,
      ],
      ['a missing credentials.webauthn', (d) => ({ ...d, credentials: {} }), /malformed at credentials\.webauthn/],
      [
        'an id that is not base64',
        (d) => editEntry(d, { id: 'not base64!' }),
        /malformed at credentials\.webauthn\.config\.credentials\.0\.id: expected padded standard base64/,
      ],
      [
        'a sign_count that is not a uint32',
        (d) => editEntry(d, { authenticator: { ...entryOf(d).authenticator, sign_count: -1 } }),
        /credentials\.0\.authenticator\.sign_count/,
      ],
      [
        'an AAGUID of 15 bytes',
        (d) =>
          editEntry(d, { authenticator: { ...entryOf(d).authenticator, aaguid: Buffer.alloc(15).toString('base64') } }),
        /credentials\[0\]\.authenticator\.aaguid is 15 bytes, expected 16/,
      ],
      [
        'a name with control characters',
        (d) => editEntry(d, { display_name: 'a\u0000b' }),
        /credentials\[0\]\.display_name is not usable: a key name cannot contain control characters/,
      ],
      [
        'the same credential twice',
        (d) => withEntries(d, [entryOf(d), entryOf(d)]),
        /credentials\[1\]\.id .* appears twice in the document/,
      ],
      [
        'a missing attestation_type',
        (d) => editEntry(d, { attestation_type: undefined }),
        /credentials\.0\.attestation_type/,
      ],
    ];
    it.each(cases)('%s', async (_what, damage, message) => {
      const { document } = await exported();
      const { rp } = await openRp(await tempDir());
      const { user } = await newAccount(rp);
      await expectRefusal(
        rp.importKratosIdentity({ userId: user.id, document: damage(document) }),
        'import-invalid',
        message,
      );
      expect(rp.listKeys(user.id)).toEqual([]);
    });
  });

  it('refuses duplicates of registered and revoked keys, a foreign user handle, and a disallowed algorithm', async () => {
    const { rp, user, credential, document } = await exported();
    await expectRefusal(
      rp.importKratosIdentity({ userId: user.id, document }),
      'import-invalid',
      /already registered to this account as "Desk key"/,
    );

    await registerKey(rp, user.id, await openTestKey());
    await rp.revokeKey({ userId: user.id, credentialId: credential.id, confirm: true });
    await expectRefusal(
      rp.importKratosIdentity({ userId: user.id, document }),
      'import-invalid',
      /is a key revoked on .*; a revoked key never comes back/,
    );

    const other = await openRp(await tempDir());
    const bob = await newAccount(other.rp);
    await registerKey(other.rp, bob.user.id, await openTestKey());
    await expectRefusal(
      other.rp.importKratosIdentity({ userId: bob.user.id, document }),
      'import-invalid',
      /user_handle differs from the user handle of alice@example\.com, which already has keys/,
    );

    const strict = await openRp(await tempDir(), { algorithms: [-7] });
    const carol = await newAccount(strict.rp);
    await expectRefusal(
      strict.rp.importKratosIdentity({ userId: carol.user.id, document }),
      'import-invalid',
      /public_key has COSE algorithm -8 \(EdDSA\), expected one of -7 \(ES256\)/,
    );
  });
});

function entryOf(document: KratosIdentity) {
  return document.credentials.webauthn.config.credentials[0]!;
}

function withEntries(document: KratosIdentity, credentials: unknown[]): unknown {
  const { webauthn } = document.credentials;
  return { ...document, credentials: { webauthn: { ...webauthn, config: { ...webauthn.config, credentials } } } };
}

function editEntry(document: KratosIdentity, change: Record<string, unknown>): unknown {
  return withEntries(document, [{ ...entryOf(document), ...change }]);
}
