import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS, type Channel, type EventName } from '../../src/ipc/contract.js';
import { launchApp, makeVirtualKey, openBrowser, TEST_PIN, type LaunchedApp } from './support/launchApp.js';

// A whole session through the page's API, then every answer and event the page received is searched for a secret.
const EMAIL = 'ada@example.org';
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'tr0ubador & three more words';
const SECRETS = [
  'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
];
const IMPORTED_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';

let browser: Browser;
let app: LaunchedApp;

beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await app?.close();
  await browser?.close();
});

async function call(channel: string, request: unknown) {
  const answer = await app.page.evaluate(([c, r]) => window.latchkey.call(c as 'app:state', r as never), [
    channel,
    request,
  ] as const);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
  return answer.value as never;
}

/**
 * Runs a call, answering the prompts it shows as a person would: the key's PIN (once per touch: registration, then
 * the vault's slot) and the password (a first key of a password-and-key account reshapes the vault).
 */
async function answering<T>(running: Promise<T>, answers: { pin?: string; password?: string }): Promise<T> {
  let settled = false;
  void running.finally(() => (settled = true)).catch(() => undefined);
  const open = async () => {
    for (;;) {
      for (const kind of ['pin', 'password'] as const) {
        if (answers[kind] === undefined) continue;
        const prompt = await app.openPrompt(kind, 0).catch(() => undefined);
        if (prompt) return { prompt, value: answers[kind] };
      }
      if (settled) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  while (!settled) {
    const next = await Promise.race([open(), running.then(() => undefined)]);
    if (next === undefined) break;
    await app.page.evaluate(
      ([id, value]) => window.latchkey.call('prompt:answer', { id, answer: { kind: 'secret', value } }),
      [next.prompt.id, next.value] as const,
    );
  }
  return running;
}

describe('the renderer never receives a secret, and every answer keeps the contract', () => {
  it('over sign-up, sign-in, entries, codes, copy, import, export, password and PIN', async () => {
    const dir = (await import('node:fs/promises')).mkdtemp(
      join((await import('node:os')).tmpdir(), 'latchkey-secrets-'),
    );
    const keyFile = await makeVirtualKey(join(await dir, 'key.json'), { pin: TEST_PIN });
    app = await launchApp(browser, { keyFile });
    const created = (await call('account:create', { email: EMAIL, password: PASSWORD })) as { recoveryCode: string };
    const recoveryCodes = [created.recoveryCode];
    // Registering the key asks its PIN (it has one): answered through the prompt, as the window does.
    await answering(call('keys:add', { name: 'Test key' }), { pin: TEST_PIN, password: PASSWORD });
    for (const [i, secret] of SECRETS.entries())
      await call('vault:addEntry', { uri: `otpauth://totp/Service${i}:ada?secret=${secret}` });
    await call('vault:addEntry', {
      fields: { otpType: 'hotp', service: 'Bank', account: 'ada', secret: 'NBSWY3DPEB3W64TMMQQQ', counter: 3 },
    });
    const list = (await call('vault:list', {})) as { entries: { id: string; otpType: string }[] };
    await call('vault:codes', { ids: list.entries.map((e) => e.id) });
    await call('vault:copy', { id: list.entries[0]!.id });
    await call('vault:nextHotp', { id: list.entries.find((e) => e.otpType === 'hotp')!.id });
    const twoFauth = JSON.stringify({
      app: '2fauth_v5.0.0',
      schema: 1,
      datetime: '2026-01-01T00:00:00.000000Z',
      data: [
        {
          otp_type: 'totp',
          account: 'ada',
          service: 'Imported',
          secret: IMPORTED_SECRET,
          digits: 6,
          algorithm: 'sha1',
          period: 30,
          counter: null,
          icon: null,
        },
      ],
    });
    const preview = await app.page.evaluate(
      (text) =>
        window.latchkey.call('import:preview', {
          files: [{ name: '2fauth.json', data: new TextEncoder().encode(text) }],
        }),
      twoFauth,
    );
    if (!preview.ok) throw new Error(preview.error.message);
    await call('import:commit', { token: preview.value.token, indexes: [0] });
    // An export asks who is there again: the password, through a prompt.
    await answering(call('export:write', { format: '2fauth' }), { password: PASSWORD });
    await call('account:changePassword', { current: PASSWORD, next: NEW_PASSWORD });
    recoveryCodes.push(
      ((await call('account:regenerateRecoveryCode', { password: NEW_PASSWORD })) as { recoveryCode: string })
        .recoveryCode,
    );
    await call('account:lock', {});
    // Key sign-in: the key's PIN again, through a prompt.
    await answering(call('account:signIn', { method: 'key' }), { pin: TEST_PIN, password: NEW_PASSWORD });

    const received = app.traffic.filter((t) => t.direction !== 'call');
    const text = (t: (typeof received)[number]) => JSON.stringify(t.payload);
    for (const secret of [PASSWORD, NEW_PASSWORD, TEST_PIN, ...SECRETS, IMPORTED_SECRET, 'NBSWY3DPEB3W64TMMQQQ'])
      expect(received.filter((t) => text(t).includes(secret)).map((t) => t.channel)).toEqual([]);
    // Recovery codes only in the answer that made them, once.
    for (const code of recoveryCodes)
      expect(received.filter((t) => text(t).includes(code)).map((t) => t.channel)).toHaveLength(1);
    // And no base32 secret of any length crossed in an answer (a whole secret field, whatever its value).
    expect(received.filter((t) => /"secret"\s*:/.test(text(t))).map((t) => t.channel)).toEqual([]);
    // Every answer and event kept the contract the renderer is built against.
    const misfits = received.flatMap((t) => {
      const payload = t.payload as { ok?: boolean; value?: unknown };
      const checked =
        t.direction === 'answer'
          ? payload.ok === true
            ? CHANNELS[t.channel as Channel].answer.safeParse(payload.value)
            : { success: true }
          : EVENTS[t.channel as EventName].safeParse(t.payload);
      return checked.success ? [] : [`${t.direction} ${t.channel}`];
    });
    expect(misfits).toEqual([]);
    expect(received.filter((t) => t.direction === 'answer').length).toBeGreaterThan(20);
    // The export reached the file the person chose, with the secrets: that is where they are meant to go.
    expect(app.shell.saved).toHaveLength(1);
  });
});
