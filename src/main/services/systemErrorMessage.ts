// What to tell a person about a failed file operation (EACCES, ENOSPC, EISDIR, ENOTDIR...), instead of the raw system error.

/**
 * One sentence naming the path and what to do, or undefined when `error` is not a file system error this knows.
 * Node's own messages ("EACCES: permission denied, open '/x/relying-party.json.lock'") say what failed, not what to do.
 */
export function systemErrorMessage(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string') return undefined;
  const where = typeof path === 'string' ? path : 'a file Latchkey needs';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `Latchkey may not write ${where} (permission denied): make its folder writable for you, or choose another folder.`;
    case 'EROFS':
      return `${where} is on a read-only file system: choose a folder on a writable disk.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk holding ${where} is full: free some space and try again; nothing was changed.`;
    case 'EISDIR':
      return `${where} is a folder, where a file was expected: give the path of a file.`;
    case 'ENOTDIR':
      return `${where} goes through a file as if it were a folder: give a path whose every part but the last is a folder.`;
    case 'ENAMETOOLONG':
      return `${where} is longer than the system allows: choose a shorter path.`;
    case 'EMFILE':
    case 'ENFILE':
      return 'Too many files are open on this system: close some applications and try again.';
    default:
      return undefined;
  }
}
