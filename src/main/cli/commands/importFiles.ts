// `latchkey import FILE...`: reads exports of other apps and QR pictures, previews what would be added, then adds it.

import { stat } from 'node:fs/promises';
import { readImportFiles, type EntrySummary } from '../../services/index.js';
import { IMPORT_FORMAT_NAMES, IMPORT_FORMATS, type ImportFormat, type ImportPreview } from '../../vault/index.js';
import { withSession } from '../cliSession.js';
import { confirm } from '../confirm.js';
import { parseOptionsAndArguments } from '../parseOptions.js';
import { registerCommand, type CliIo } from '../registry.js';
import { UsageError } from '../UsageError.js';
import { readStdinLine } from '../vault/readStdinLine.js';

const FORMATS = ['auto', ...IMPORT_FORMATS] as const;

function line(entry: { input: { service: string; account: string; otp_type: string } }): string {
  const { service, account, otp_type } = entry.input;
  return `${account ? `${service} (${account})` : service}, ${otp_type}`;
}

function previewLines(preview: ImportPreview): string[] {
  const out: string[] = [];
  out.push(`${preview.toAdd.length} to add:`);
  for (const e of preview.toAdd)
    out.push(`  + ${line(e)}${e.groups.length ? ` [${e.groups.join(', ')}]` : ''}  (${e.source})`);
  if (preview.duplicates.length) {
    out.push(`${preview.duplicates.length} already there, not added:`);
    for (const d of preview.duplicates) {
      const where = d.existingId === undefined ? 'earlier in the import' : `entry ${d.existingId.slice(0, 8)}`;
      const why = d.reason === 'same-secret' ? 'the same secret as' : 'the same service and account as';
      out.push(`  = ${line(d.entry)}: ${why} ${where}  (${d.entry.source})`);
    }
  }
  if (preview.notImported.length) {
    out.push(`${preview.notImported.length} cannot be imported:`);
    for (const n of preview.notImported) out.push(`  ! ${n.source}: ${n.reason}`);
  }
  const warnings = preview.toAdd.flatMap((e) => warningsOf(e).map((w) => `${e.source}: ${w}`));
  if (warnings.length) out.push('Notes:', ...warnings.map((w) => `  - ${w}`));
  return out;
}

/** What is read but not kept, one sentence each (an icon of a type no window shows...). */
function warningsOf(entry: ImportPreview['toAdd'][number]): string[] {
  return entry.warnings ?? [];
}

/** The preview as --json says it: never a secret. */
function previewJson(preview: ImportPreview) {
  const summary = (e: ImportPreview['toAdd'][number]) => ({
    service: e.input.service,
    account: e.input.account,
    otp_type: e.input.otp_type,
    groups: e.groups,
    source: e.source,
    warnings: warningsOf(e),
  });
  return {
    toAdd: preview.toAdd.map(summary),
    duplicates: preview.duplicates.map((d) => ({
      ...summary(d.entry),
      reason: d.reason,
      existingId: d.existingId ?? null,
    })),
    notImported: preview.notImported,
  };
}

async function filePassword(io: CliIo, fromStdin: boolean, file: string): Promise<Uint8Array | undefined> {
  if (fromStdin) return readStdinLine();
  if (!io.interactive || !io.prompt)
    throw new UsageError(`${file} is encrypted: give its password with --password-stdin, or run at a terminal`);
  return io.prompt(`Password of ${file}: `, { hidden: true });
}

registerCommand('import', {
  summary: 'import 2FA accounts from other apps\u2019 exports and QR pictures: a preview, then one write (asks first)',
  usage: `latchkey import [--email E] [--format ${FORMATS.join('|')}] [--dry-run] [--password-stdin] [--yes] [--json] FILE...`,
  async run(args, io, globals) {
    const parsed = parseOptionsAndArguments(args, {
      email: { type: 'string' },
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      yes: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError('name at least one file to import');
    const format = values.format ?? 'auto';
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format "${format}" is not one of ${FORMATS.join(', ')}`);
    const dryRun = values['dry-run'] === true;
    if (!dryRun && values.yes !== true && !(io.interactive && io.prompt))
      throw new UsageError('importing writes to the vault: confirm with --yes, or look first with --dry-run');
    for (const file of positionals)
      if (
        !(await stat(file).then(
          (info) => info.isFile(),
          () => false,
        ))
      )
        throw new UsageError(`${file} is not a file that exists: give the path of an export or a QR picture`);
    // Read before signing in: a file that is no known format costs no password and no touch.
    const read = await readImportFiles(positionals, {
      format: format as ImportFormat | 'auto',
      password: (file) => filePassword(io, values['password-stdin'] === true, file),
    });
    return withSession(globals, io, values.json === true, async (cli) => {
      await cli.signIn(values.email);
      const vault = await cli.session.vault();
      const preview = vault.previewImport(read);
      const formatName = IMPORT_FORMAT_NAMES[read.format];
      if (dryRun || preview.toAdd.length === 0) {
        cli.print(
          [
            `Read as ${formatName}.`,
            ...previewLines(preview),
            dryRun ? 'Nothing was written (--dry-run).' : 'Nothing to add.',
          ],
          {
            format: read.format,
            preview: previewJson(preview),
            added: [],
          },
        );
        return 0;
      }
      if (values.json !== true) for (const l of [`Read as ${formatName}.`, ...previewLines(preview)]) io.out(l);
      if (values.yes !== true && !(await confirm(io, `Add ${preview.toAdd.length} entries to the vault?`))) {
        io.err('Nothing was imported.');
        return 1;
      }
      const result = await vault.importEntries(
        preview.toAdd.map((e) => ({
          input: e.input,
          groups: e.groups,
          ...(e.note === undefined ? {} : { note: e.note }),
          ...(e.icon === undefined ? {} : { icon: e.icon }),
          ...(e.favourite === true ? { favourite: true } : {}),
        })),
      );
      await vault.settled();
      const added: EntrySummary[] = result.added;
      cli.print(
        [
          `Added ${added.length} entries${result.createdGroups.length ? ` and ${result.createdGroups.length} groups` : ''}.`,
        ],
        {
          format: read.format,
          preview: previewJson(preview),
          added,
          createdGroups: result.createdGroups,
        },
      );
      return 0;
    });
  },
});
