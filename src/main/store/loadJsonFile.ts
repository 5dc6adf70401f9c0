// Reads one schema-versioned JSON file (a store or one of its backups) and says what is wrong with it, never quoting its content.

import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import type { z } from 'zod';
import { isSymlinkRefusal, NO_FOLLOW } from './refuseSymlink.js';

export interface JsonFileSpec<T> {
  /** The `format` member every such file carries, so a file of another kind is recognised as such. */
  format: string;
  /** The schema version this code reads and writes (the `version` member). */
  version: number;
  /** The whole document, `format` and `version` included. */
  schema: z.ZodType<T>;
  /**
   * Checks the schema cannot express (a floor that is an option, such as the weakest password hash accepted): the
   * problem in a few words, or undefined. Runs on every load, backups included, never on what this code writes.
   */
  validate?: (value: T) => string | undefined;
}

/**
 * What is wrong, as far as a person can act on it: `permissions` (fix the mode, restoring does not help), `symlink`
 * (put the file in place of the link), `newer-version` (upgrade Latchkey), `unreadable` (the disk), `damaged` (restore).
 */
export type DamageKind = 'damaged' | 'permissions' | 'symlink' | 'newer-version' | 'unreadable';

export type JsonFileLoad<T> =
  | { ok: true; value: T }
  | { ok: false; missing: true }
  | { ok: false; missing: false; kind: DamageKind; problem: string; cause?: unknown };

const MAX_ISSUES_SHOWN = 3;

/**
 * Loads `path` against `spec`. Problems name the file's shape (an array, version 3, which member fails the schema) but
 * never its bytes: the file may be anything, /etc/passwd through a link included.
 */
export async function loadJsonFile<T>(spec: JsonFileSpec<T>, path: string): Promise<JsonFileLoad<T>> {
  let text: string;
  try {
    if ((await lstat(path)).isSymbolicLink()) return symlink();
    const handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    if (isSymlinkRefusal(error)) return symlink();
    if (code === 'EACCES' || code === 'EPERM')
      return { ok: false, missing: false, kind: 'permissions', problem: await describePermissions(path), cause: error };
    return {
      ok: false,
      missing: false,
      kind: 'unreadable',
      problem: `it cannot be read (${code ?? (error as Error).name})`,
      cause: error,
    };
  }
  const damaged = (problem: string, cause?: unknown): JsonFileLoad<T> => ({
    ok: false,
    missing: false,
    kind: 'damaged',
    problem,
    cause,
  });
  if (text.trim() === '') return damaged(`it is empty (${text.length} bytes), as a truncated write leaves it`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: it is not passed on, nor kept as the cause.
    return damaged(`it is not valid JSON (${Buffer.byteLength(text)} bytes that do not parse)`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return damaged(
      `it holds ${Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`}, expected a ${spec.format} object`,
    );
  }
  const header = json as { format?: unknown; version?: unknown };
  if (header.format !== spec.format) {
    return damaged(
      header.format === undefined
        ? `it has no format member, expected "${spec.format}"`
        : `its format member is not "${spec.format}": it is another kind of file`,
    );
  }
  if (header.version !== spec.version) {
    if (typeof header.version === 'number' && Number.isInteger(header.version) && header.version > spec.version) {
      return {
        ok: false,
        missing: false,
        kind: 'newer-version',
        problem: `it has schema version ${header.version}, written by a newer Latchkey; this one reads version ${spec.version}`,
      };
    }
    return damaged(
      `its schema version is ${typeof header.version === 'number' && Number.isInteger(header.version) ? header.version : 'not a whole number'}, expected ${spec.version}`,
    );
  }
  const checked = spec.schema.safeParse(json);
  if (!checked.success)
    return damaged(`it does not match schema version ${spec.version}: ${describeIssues(checked.error)}`);
  const problem = spec.validate?.(checked.data);
  if (problem !== undefined) return damaged(problem);
  return { ok: true, value: checked.data };

  function symlink(): JsonFileLoad<T> {
    return {
      ok: false,
      missing: false,
      kind: 'symlink',
      problem: 'it is a symbolic link, expected a regular file (Latchkey does not follow links for its data files)',
    };
  }
}

/** Paths and what each member should be; unknown members are counted, not named (their names come from the file). */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(document)';
    return `${where}: ${issue.code === 'unrecognized_keys' ? `${issue.keys.length} member(s) this version does not know` : issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

async function describePermissions(path: string): Promise<string> {
  const who = typeof process.getuid === 'function' ? `; Latchkey runs as user ${process.getuid()}` : '';
  try {
    const info = await lstat(path);
    return `it cannot be read: permission denied (mode ${(info.mode & 0o777).toString(8).padStart(3, '0')}, owner user ${info.uid}${who})`;
  } catch {
    return `it cannot be read: permission denied${who}`;
  }
}
