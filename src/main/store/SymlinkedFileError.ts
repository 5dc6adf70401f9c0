// The refusal of a data file (store, backup, audit log, lock) that is a symbolic link.

export class SymlinkedFileError extends Error {
  override readonly name = 'SymlinkedFileError';

  constructor(readonly file: string) {
    super(
      `${file} is a symbolic link, expected a regular file: Latchkey neither reads nor writes its data files through links, which could point it at any other file. Put the file itself in place of the link, or point --data-dir at the folder it lives in.`,
    );
  }
}
