// `latchkey restore [N]`: lists the backups of the relying party's file with their age and content, and restores one after asking.

import { parseArgs } from 'node:util';
import { describeAge } from '../../store/describeAge.js';
import {
  defaultDataDir,
  listRpBackups,
  restoreRpBackup,
  type RpBackupSummary,
  type RpContentCount,
} from '../../rp/index.js';
import { confirm } from '../confirm.js';
import { CLI_JSON_VERSION } from '../deviceJson.js';
import { registerCommand } from '../registry.js';
import { UsageError } from '../UsageError.js';

function content(count: RpContentCount): string {
  return `${count.accounts} account(s), ${count.keys} key(s)`;
}

/** What restoring would undo, from the audit log: "1 account-created, 2 key-registered recorded since". */
function undone(backup: RpBackupSummary): string {
  if (backup.changesSince === undefined) return 'the audit log cannot be read to say what changed since';
  const changes = Object.entries(backup.changesSince).map(([event, n]) => `${n} ${event}`);
  return changes.length ? `restoring it undoes ${changes.join(', ')} recorded since` : 'no change recorded since';
}

function describeBackup(backup: RpBackupSummary, now: number): string {
  const when = `saved ${backup.savedAt.toISOString()} (${describeAge(Math.max(0, now - backup.savedAt.getTime()))} ago)`;
  if (backup.content === undefined)
    return `  ${backup.generation}  ${when}: cannot be restored, ${backup.problem ?? 'it does not load'}`;
  return `  ${backup.generation}  ${when}: ${content(backup.content)}; ${undone(backup)}`;
}

registerCommand('restore', {
  summary:
    'list the backups of the account file with their dates and contents; restore one (asks first; --yes in scripts)',
  usage: 'latchkey restore [--yes] [--json] [N]',
  async run(args, io, globals) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { yes: { type: 'boolean' }, json: { type: 'boolean' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new UsageError(`expected at most one backup number, got ${positionals.length}`);
    const dataDir = globals.dataDir ?? defaultDataDir();
    const listing = await listRpBackups({ dataDir });
    const now = Date.now();
    const print = (human: string[], body: Record<string, unknown>) => {
      if (values.json === true) io.out(JSON.stringify({ version: CLI_JSON_VERSION, ...body }, null, 2));
      else for (const line of human) io.out(line);
    };
    const current =
      listing.current.state === 'loads'
        ? `${listing.file} holds ${content(listing.current.content)}.`
        : listing.current.state === 'missing'
          ? `${listing.file} does not exist.`
          : `${listing.file} cannot be loaded: ${listing.current.problem}.`;

    if (positionals.length === 0) {
      const human = [current];
      if (listing.backups.length === 0) human.push('There is no backup of it.');
      else
        human.push(
          'Backups, newest first:',
          ...listing.backups.map((b) => describeBackup(b, now)),
          'Restore one with "latchkey restore N"; the file in place is kept aside, not deleted.',
        );
      print(human, { listing });
      return 0;
    }

    const generation = Number(positionals[0]);
    const backup = listing.backups.find((b) => b.generation === generation);
    if (!backup) {
      const numbers = listing.backups.map((b) => b.generation).join(', ') || 'none';
      throw new UsageError(
        `there is no backup ${JSON.stringify(positionals[0])}; the backups are numbered ${numbers} (run "latchkey restore" to list them)`,
      );
    }
    if (values.yes !== true) {
      if (!(io.interactive && io.prompt))
        throw new UsageError('restoring replaces the file in place: confirm with --yes (no terminal to ask at)');
      io.err(current);
      io.err(describeBackup(backup, now));
      if (!(await confirm(io, `Restore backup ${generation}? Quit the Latchkey app first.`))) {
        io.err('Not restored.');
        return 1;
      }
    }
    const result = await restoreRpBackup({ dataDir, generation });
    const aside = result.keptAside ? ` The file it replaced is kept as ${result.keptAside}.` : '';
    print([`Restored ${result.restored}: ${result.file} now holds ${content(result.content)}.${aside}`], {
      restored: result,
    });
    return 0;
  },
});
