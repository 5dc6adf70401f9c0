// A configuration file (such as the data folder's `.env`) that cannot be read as written, with where it went wrong.

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /** `source` is the file's name and `line` the 1-based line at fault; the message never quotes the line itself. */
  constructor(
    readonly source: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}
