// `latchkey export --format F --out PATH`: the vault's entries in another app's format, in Latchkey's, or as QR codes.

import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../../services/index.js';
import { writeFileAtomic } from '../../store/writeFileAtomic.js';
import { withSession } from '../cliSession.js';
import { parseOptionsAndArguments } from '../parseOptions.js';
import { registerCommand, type CliIo } from '../registry.js';
import { UsageError } from '../UsageError.js';
import { matchEntry } from '../vault/matchEntry.js';
import { readStdinLine } from '../vault/readStdinLine.js';

const NAMES: Record<ExportFormat, string> = {
  '2fauth': '2FAuth JSON',
  otpauth: 'otpauth URIs, one per line',
  aegis: 'Aegis JSON',
  latchkey: 'Latchkey encrypted export',
  qr: 'QR code',
  'google-qr': 'Google Authenticator transfer QR codes',
};

/** `transfer.png` -> `transfer-1.png`, `transfer-2.png`... for the codes of one transfer. */
function numbered(path: string, n: number, of: number): string {
  if (of === 1) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${n}${ext}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function exportPassword(io: CliIo, fromStdin: boolean): Promise<Uint8Array> {
  if (fromStdin) {
    const password = await readStdinLine();
    if (password.toString('utf8').length < 8) {
      password.fill(0);
      throw new UsageError('the export password must be at least 8 characters');
    }
    return password;
  }
  // Typed twice at a terminal, as a new account's password: a typo would lock the file for good. Never from
  // LATCHKEY_PASSWORD, which is the account's: an export is opened elsewhere, with a password of its own.
  if (!io.interactive || !io.prompt)
    throw new UsageError(
      'an encrypted export needs its own password: give it with --password-stdin, or run at a terminal',
    );
  const first = await io.prompt('Password for the export: ', { hidden: true });
  if (!first || first.length < 8) {
    first?.fill(0);
    throw new UsageError('the export password must be at least 8 characters');
  }
  const again = await io.prompt('The same password again: ', { hidden: true });
  try {
    if (!again || !first.equals(again)) {
      first.fill(0);
      throw new UsageError('the two passwords differ; nothing was exported');
    }
    return first;
  } finally {
    again?.fill(0);
  }
}

registerCommand('export', {
  summary:
    'export the vault: 2FAuth or Aegis JSON, otpauth URIs, Latchkey encrypted, QR codes (asks again who you are)',
  usage: `latchkey export --format ${EXPORT_FORMATS.join('|')} --out PATH [--encrypt] [--password-stdin] [--entry ID] [--svg] [--force] [--email E] [--json]`,
  async run(args, io, globals) {
    const parsed = parseOptionsAndArguments(
      args,
      {
        format: { type: 'string' },
        out: { type: 'string' },
        encrypt: { type: 'boolean' },
        'password-stdin': { type: 'boolean' },
        entry: { type: 'string' },
        svg: { type: 'boolean' },
        force: { type: 'boolean' },
        email: { type: 'string' },
        json: { type: 'boolean' },
      },
      0,
    );
    const { values } = parsed;
    const format = values.format as ExportFormat | undefined;
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('--out PATH: where to write the export');
    if (format === 'qr' && !values.entry) throw new UsageError('--format qr draws one entry: name it with --entry ID');
    if (values.encrypt === true && format !== 'aegis' && format !== 'latchkey')
      throw new UsageError(`--encrypt applies to aegis (latchkey is always encrypted); ${format} cannot be encrypted`);
    const out = values.out;
    const encrypted = format === 'latchkey' || values.encrypt === true;
    return withSession(globals, io, values.json === true, async (cli) => {
      await cli.signIn(values.email);
      const vault = await cli.session.vault();
      const entryId = values.entry === undefined ? undefined : matchEntry(vault.entries(), values.entry).id;
      const password = encrypted ? await exportPassword(io, values['password-stdin'] === true) : undefined;
      let result;
      try {
        result = await cli.session.exportVault({
          format,
          ...(password ? { password } : {}),
          ...(entryId === undefined ? {} : { entryId }),
          svg: values.svg === true,
        });
      } finally {
        password?.fill(0);
      }
      const paths = result.files.map((_, i) => numbered(out, i + 1, result.files.length));
      for (const path of paths)
        if (values.force !== true && (await exists(path)))
          throw new UsageError(`${path} exists: choose another --out, or --force to replace it`);
      // Owner-only, whatever the umask: an export holds every secret, encrypted or not.
      for (const [i, path] of paths.entries()) await writeFileAtomic(path, result.files[i]!, { mode: 0o600 });
      for (const file of result.files) file.fill(0);
      const human = [
        `Wrote ${result.entries} entries to ${paths.join(', ')} (${NAMES[format]}, readable by you only).`,
        ...result.left.map((l) => `Not exported: ${l.entry.service} ${l.reason}.`),
        result.encrypted
          ? 'It is encrypted with the export password.'
          : `It is NOT encrypted: anyone who reads ${paths.length > 1 ? 'them' : 'it'} has these 2FA secrets. Delete ${paths.length > 1 ? 'them' : 'it'} once imported.`,
      ];
      cli.print(human, {
        exported: {
          format,
          files: paths,
          entries: result.entries,
          encrypted: result.encrypted,
          left: result.left.map((l) => ({ id: l.entry.id, service: l.entry.service, reason: l.reason })),
        },
      });
      return 0;
    });
  },
});
