// `latchkey vault restore [N]`: lists the backups of the account's vault with their dates and content; restores one.

import { describeAge } from '../../store/describeAge.js';
import type { VaultBackup } from '../../services/index.js';
import { withSession } from '../cliSession.js';
import { confirm } from '../confirm.js';
import { parseOptionsAndArguments } from '../parseOptions.js';
import { registerCommand } from '../registry.js';
import { UsageError } from '../UsageError.js';

function describeBackup(backup: VaultBackup, now: number): string {
  const when = `saved ${backup.savedAt.toISOString()} (${describeAge(Math.max(0, now - backup.savedAt.getTime()))} ago)`;
  if (!backup.content) return `  ${backup.generation}  ${when}: cannot be restored, ${backup.problem ?? 'damaged'}`;
  const { records, slots, mode } = backup.content;
  return `  ${backup.generation}  ${when}: ${records} record(s) (entries and groups), ${slots} slot(s), ${mode}`;
}

registerCommand('vault restore', {
  summary: 'list the backups of the account\u2019s vault with their dates; restore one (asks first; --yes in scripts)',
  usage: 'latchkey vault restore [--email E] [--yes] [--json] [N]',
  async run(args, io, globals) {
    const parsed = parseOptionsAndArguments(
      args,
      { email: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
      1,
    );
    const { values, positionals } = parsed;
    const wanted = positionals[0];
    if (wanted !== undefined && !/^[1-9]\d{0,3}$/.test(wanted))
      throw new UsageError(`the backup number must be 1 or more, as the listing shows, got "${wanted.slice(0, 20)}"`);
    return withSession(globals, io, values.json === true, async (cli) => {
      await cli.signIn(values.email);
      const backups = await cli.session.vaultBackups();
      const now = Date.now();
      if (wanted === undefined) {
        cli.print(
          backups.length === 0
            ? ['The vault has no backup.']
            : [
                'Backups of the vault, newest first:',
                ...backups.map((b) => describeBackup(b, now)),
                'Restore one with "latchkey vault restore N"; the vault in place becomes the newest backup.',
              ],
          { backups },
        );
        return 0;
      }
      const generation = Number(wanted);
      const backup = backups.find((b) => b.generation === generation);
      if (backup && values.yes !== true) {
        const question = `Put backup ${generation} (${describeBackup(backup, now).trim()}) in place of the vault?`;
        if (!(await confirm(io, question))) {
          cli.print(['Nothing was restored.'], { restored: null });
          return 1;
        }
      }
      const restored = await cli.session.restoreVaultBackup(generation);
      cli.print([`Backup ${generation} is the vault again; the file it replaced is backup 1.`], { restored });
      return 0;
    });
  },
});
