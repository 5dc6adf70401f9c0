// The vault commands over a real vault file: what they print (human and --json), what they write, and their refusals.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOTP, Secret, TOTP } from 'otpauth';
import { UsageError } from '../../../src/main/cli/UsageError.js';
import { VAULT_COMMANDS } from '../../../src/main/cli/vault/index.js';
import { matchEntry } from '../../../src/main/cli/vault/matchEntry.js';
import type { EntrySummary } from '../../../src/main/services/vault/index.js';
import { SECRET } from '../vault/entries/entryFixtures.js';
import { NOW, openTestVault, type OpenTestVault } from '../services/vault/openTestVault.js';

const HOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

interface RunOptions {
  /** Answers for io.prompt, in order (makes the run interactive). */
  answers?: string[];
  stdin?: string;
}

let t: OpenTestVault;
beforeEach(async () => {
  t = await openTestVault();
});
afterEach(() => t.cleanup());

/** As the dispatcher runs a command: parse, then run with the open vault; a UsageError is exit code 2. */
async function run(line: string[], options: RunOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const typed: Buffer[] = [];
  const answers = [...(options.answers ?? [])];
  const io = {
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
    interactive: options.answers !== undefined,
    ...(options.answers === undefined
      ? {}
      : {
          prompt: async (question: string) => {
            prompts.push(question);
            const answer = answers.shift();
            if (answer === undefined) return undefined;
            const bytes = Buffer.from(answer);
            typed.push(bytes);
            return bytes;
          },
        }),
  };
  const words = line[0] === 'code' ? 1 : 2;
  const command = VAULT_COMMANDS.get(line.slice(0, words).join(' '));
  if (!command) throw new Error(`no vault command ${line.join(' ')}`);
  let ran = false;
  let code: number;
  try {
    const prepared = command.parse(line.slice(words), io);
    ran = true;
    code = await prepared.run({
      vault: t.vault,
      io,
      print: (human, body) => {
        if (prepared.json) out.push(JSON.stringify({ version: 1, virtualKey: null, ...body }, null, 2));
        else out.push(...human);
      },
      readStdin: async () => Buffer.from(options.stdin ?? ''),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.push(error.message);
    code = 2;
  }
  return {
    code,
    ran,
    out: out.join('\n'),
    err: err.join('\n'),
    prompts,
    typed,
    json: () => JSON.parse(out.join('\n')),
  };
}

async function addGitHub() {
  const r = await run(['entry', 'add', '--service', 'GitHub', '--account', 'ada', '--secret-stdin', '--json'], {
    stdin: `${SECRET}\n`,
  });
  expect(r.code).toBe(0);
  return r.json().entry as EntrySummary;
}

describe('entry commands', () => {
  it('entry add takes the secret from stdin, an otpauth URI or the terminal, and never prints it', async () => {
    const a = await addGitHub();
    const b = await run(['entry', 'add', '--uri', `otpauth://hotp/Bank:ada?secret=${HOTP_SECRET}&counter=7`]);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(
      /^Added Bank \(ada\)\.\n\nBank \(ada\)\n {2}id {9}[0-9a-f-]{36}\n {2}type {7}hotp, 6 digits, sha1, next counter 7/,
    );
    const c = await run(['entry', 'add', '--service', 'Steam', '--type', 'steam'], {
      answers: ['KRSX G5CT MVRX EZLU'],
    });
    expect(c.code).toBe(0);
    expect(c.prompts).toEqual(['Secret (base32) for Steam: ']);
    expect(c.typed[0]!.every((byte) => byte === 0)).toBe(true);
    const disk = await t.onDisk();
    expect(disk.entries.get(a.id)?.secret).toBe(SECRET);
    expect([...disk.entries.values()].map((e) => e.otp_type).sort()).toEqual(['hotp', 'steamtotp', 'totp']);
    for (const r of [b, c, await run(['entry', 'list']), await run(['entry', 'list', '--json'])]) {
      expect(r.out).not.toContain(SECRET);
      expect(r.out).not.toContain(HOTP_SECRET);
    }
  });

  it('entry add refuses a bad field naming its option, and a missing secret in a script', async () => {
    const digits = await run(['entry', 'add', '--service', 'X', '--secret', SECRET, '--digits', '3']);
    expect(digits).toMatchObject({ code: 2, err: '--digits: the digits must be 6 to 10, found 3' });
    const secret = await run(['entry', 'add', '--service', 'X', '--secret-stdin'], { stdin: 'not base32!' });
    expect(secret.err).toBe('the secret: the secret is not valid base32: character 10 is outside A-Z and 2-7');
    expect(await run(['entry', 'add', '--service', 'X'])).toMatchObject({
      code: 2,
      err: 'the secret is needed: pipe it in with --secret-stdin, or run the command at a terminal',
    });
    expect(await run(['entry', 'add', '--account', 'x'])).toMatchObject({ code: 2, ran: false });
    expect(await run(['entry', 'add', '--uri', 'otpauth://totp/X', '--service', 'Y'])).toMatchObject({
      code: 2,
      ran: false,
      err: "--uri gives the entry's fields: leave out --service",
    });
    expect(await run(['entry', 'add', '--service', 'X', '--secret', SECRET, '--secret-stdin'])).toMatchObject({
      code: 2,
      ran: false,
    });
    expect(t.vault.entries()).toEqual([]);
  });

  it('entry add refuses a duplicate unless --allow-duplicate, and then says which entry it duplicates', async () => {
    const first = await addGitHub();
    const again = await run(['entry', 'add', '--service', 'Other', '--secret', SECRET]);
    expect(again).toMatchObject({
      code: 2,
      err: 'the entry "GitHub" ("ada") already holds this secret: add --allow-duplicate to add it anyway',
    });
    const allowed = await run(['entry', 'add', '--service', 'Other', '--secret', SECRET, '--allow-duplicate']);
    expect(allowed.code).toBe(0);
    expect(allowed.err).toBe(`Note: GitHub (ada) (${first.id.slice(0, 8)}) holds the same secret.`);
  });

  it('entry add --uri - reads the URI from stdin, with a note and a group', async () => {
    await run(['group', 'add', 'Work']);
    const r = await run(['entry', 'add', '--uri', '-', '--note', 'from the QR code', '--group', 'work', '--json'], {
      stdin: `otpauth://totp/ACME:bob?secret=${SECRET}\n`,
    });
    expect(r.code).toBe(0);
    const entry = r.json().entry as EntrySummary;
    expect(entry).toMatchObject({ service: 'ACME', account: 'bob', note: 'from the QR code' });
    expect(entry.groups).toEqual([t.vault.groups()[0]!.id]);
  });

  it('entry show --reveal needs a yes: refused before sign-in in a script, asked at a terminal', async () => {
    const entry = await addGitHub();
    const script = await run(['entry', 'show', '--reveal', entry.id.slice(0, 6)]);
    expect(script).toMatchObject({ code: 2, ran: false });
    const declined = await run(['entry', 'show', '--reveal', entry.id.slice(0, 6)], { answers: ['n'] });
    expect(declined).toMatchObject({ code: 1, err: 'Not shown.' });
    expect(declined.out).not.toContain(SECRET);
    expect(declined.prompts[0]).toMatch(/^Show the secret of GitHub \(ada\) on this screen/);
    const shown = await run(['entry', 'show', '--reveal', '--yes', '--json', entry.id]);
    expect(shown.json()).toMatchObject({
      entry: { id: entry.id, secret: SECRET },
      uri: expect.stringContaining(SECRET),
    });
    const plain = await run(['entry', 'show', '--json', entry.id.toUpperCase().slice(0, 8)]);
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain(SECRET);
  });

  it('entry edit changes the fields given and keeps the rest, the secret included', async () => {
    const entry = await addGitHub();
    const r = await run(['entry', 'edit', '--account', 'ada@example.org', '--digits', '8', entry.id.slice(0, 5)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Changed GitHub \(ada@example\.org\)\./);
    expect((await t.onDisk()).entries.get(entry.id)).toMatchObject({
      account: 'ada@example.org',
      digits: 8,
      secret: SECRET,
    });
    const secret = await run(['entry', 'edit', '--secret-stdin', entry.id], { stdin: HOTP_SECRET });
    expect(secret.code).toBe(0);
    expect((await t.onDisk()).entries.get(entry.id)?.secret).toBe(HOTP_SECRET);
    expect(await run(['entry', 'edit', entry.id])).toMatchObject({ code: 2, ran: false });
  });

  it('entry rm asks (refused in a script without --yes) and leaves a tombstone', async () => {
    const entry = await addGitHub();
    expect(await run(['entry', 'rm', entry.id])).toMatchObject({ code: 2, ran: false });
    expect(await run(['entry', 'rm', entry.id], { answers: ['no'] })).toMatchObject({ code: 1, err: 'Not deleted.' });
    expect(t.vault.entries()).toHaveLength(1);
    const r = await run(['entry', 'rm', entry.id.slice(0, 4)], { answers: ['y'] });
    expect(r).toMatchObject({ code: 0, out: 'Deleted GitHub (ada).' });
    expect((await t.onDisk()).entries.size).toBe(0);
  });

  it('entry next shows the HOTP code for the stored counter and stores the next one', async () => {
    await run(['entry', 'add', '--type', 'hotp', '--service', 'Bank', '--counter', '7', '--secret', HOTP_SECRET]);
    const id = t.vault.entries()[0]!.id;
    const r = await run(['entry', 'next', '--json', id.slice(0, 4)]);
    const expected = HOTP.generate({ secret: Secret.fromBase32(HOTP_SECRET), counter: 7 });
    expect(r.json()).toMatchObject({ code: expected, counter: 7, entry: { counter: 8 } });
    expect((await t.onDisk()).entries.get(id)?.counter).toBe(8);
    const human = await run(['entry', 'next', id]);
    expect(human.out).toBe(`${HOTP.generate({ secret: Secret.fromBase32(HOTP_SECRET), counter: 8 })}  Bank, counter 8`);
    const totp = await addGitHub();
    expect(await run(['entry', 'next', totp.id])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/is a totp entry/),
    });
  });

  it('an id argument takes a unique start of the id, at least 4 characters', async () => {
    const entry = await addGitHub();
    expect(await run(['entry', 'show', entry.id.slice(0, 3)])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/too short to name an entry/),
    });
    expect(await run(['entry', 'show', 'ffff0000'])).toMatchObject({
      code: entry.id.startsWith('ffff0000') ? 0 : 2,
    });
    const twins = ['abcd0000-0000-4000-8000-000000000001', 'abcd1111-0000-4000-8000-000000000002'].map(
      (id) => ({ id, service: id.slice(0, 8) }) as EntrySummary,
    );
    expect(() => matchEntry(twins, 'abcd')).toThrow(
      '"abcd" is the start of 2 entries\' ids ("abcd0000", "abcd1111"): give more of it',
    );
    expect(matchEntry(twins, 'ABCD1').id).toBe(twins[1]!.id);
  });
});

describe('vault command lines', () => {
  const io = { out: () => undefined, err: () => undefined };

  it('take --email E for the caller to sign in, before or after the other options, never after --', () => {
    const list = VAULT_COMMANDS.get('entry list')!;
    expect(list.parse(['--email', 'ada@example.org', '--json'], io)).toMatchObject({
      email: 'ada@example.org',
      json: true,
    });
    expect(list.parse(['--json', '--email=ada@example.org'], io).email).toBe('ada@example.org');
    expect(list.parse([], io).email).toBeUndefined();
    expect(() => list.parse(['--email'], io)).toThrow('--email needs a value: --email E');
    expect(() => VAULT_COMMANDS.get('group add')!.parse(['--', '--email'], io)).not.toThrow();
    expect(VAULT_COMMANDS.get('code')!.parse(['--email', 'a@b.c', 'git', 'hub'], io).email).toBe('a@b.c');
  });

  it('say which command each is, with --email in its usage', () => {
    expect([...VAULT_COMMANDS.keys()].sort()).toEqual([
      'code',
      'entry add',
      'entry edit',
      'entry list',
      'entry next',
      'entry rm',
      'entry show',
      'group add',
      'group assign',
      'group list',
      'group rename',
      'group rm',
      'group unassign',
    ]);
    for (const [name, command] of VAULT_COMMANDS)
      expect(command.usage).toMatch(new RegExp(`^latchkey ${name} \\[--email E\\]`));
  });
});

describe('code', () => {
  it('shows the time-based codes with the seconds left, HOTP entries with the way to their code', async () => {
    const github = await addGitHub();
    await run(['entry', 'add', '--type', 'hotp', '--service', 'Bank', '--secret', HOTP_SECRET]);
    const r = await run(['code', '--json']);
    const codes = r.json().codes as { service: string; code: string | null; seconds_left: number | null }[];
    expect(codes.map((c) => c.service)).toEqual(['GitHub', 'Bank']);
    // The vault's clock is openTestVault's NOW, 5 seconds into a 30-second period.
    expect(codes[0]).toMatchObject({
      code: TOTP.generate({ secret: Secret.fromBase32(SECRET), timestamp: NOW.getTime() }),
      seconds_left: 25,
    });
    expect(codes[1]).toMatchObject({ code: null, seconds_left: null, problem: null });
    expect(r.out).not.toContain(SECRET);
    const human = await run(['code']);
    expect(human.out).toMatch(/^\d{6} {2}GitHub \(ada\) {2}25s\n- {7}Bank {10}hotp: latchkey entry next [0-9a-f]{8}$/);
    const query = await run(['code', 'git', 'ADA']);
    expect(query.out).toMatch(/^\d{6} {2}GitHub \(ada\) {2}\d{1,2}s$/);
    expect(await run(['code', 'nothing'])).toMatchObject({ code: 0, out: 'No entry matches "nothing".' });
    expect(github.id).toBeDefined();
  });
});

describe('group commands', () => {
  it('make, list, rename, assign, unassign and delete groups; deleting one keeps its entries', async () => {
    const entry = await addGitHub();
    expect(await run(['group', 'add', 'Work'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Made group Work \(/),
    });
    expect(await run(['group', 'add', 'work'])).toMatchObject({
      code: 2,
      err: 'NAME: a group named "Work" already exists',
    });
    expect(await run(['group', 'assign', 'WORK', entry.id.slice(0, 6)])).toMatchObject({
      out: 'GitHub (ada) is now in group Work.',
    });
    expect(await run(['group', 'assign', 'Work', entry.id])).toMatchObject({
      out: 'GitHub (ada) was already in group Work.',
    });
    const list = await run(['group', 'list', '--json']);
    expect(list.json().groups).toMatchObject([{ name: 'Work', entry_count: 1 }]);
    expect(await run(['group', 'rename', 'Work', 'Job'])).toMatchObject({ out: 'Renamed group Work to Job.' });
    expect((await run(['entry', 'list', '--group', 'job'])).out).toMatch(
      /GitHub +ada +totp, 6 digits, sha1, every 30 s +Job$/,
    );
    expect(await run(['group', 'unassign', 'Job', entry.id])).toMatchObject({
      out: 'GitHub (ada) is no longer in group Job.',
    });
    await run(['group', 'assign', 'Job', entry.id]);
    expect(await run(['group', 'rm', 'Job'])).toMatchObject({ out: 'Deleted group Job; its entry stays.' });
    expect(await run(['group', 'rm', 'Job'])).toMatchObject({
      code: 2,
      err: 'no group is named "Job" or has an id starting with it (see "latchkey group list")',
    });
    const disk = await t.onDisk();
    expect(disk.groups.size).toBe(0);
    expect(disk.entries.get(entry.id)?.groups).toEqual([]);
  });
});
