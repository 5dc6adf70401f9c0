// The one error an import throws for a whole file: why it cannot be read at all, in one sentence without its secrets.

/**
 * Why a file cannot be imported at all (a single bad entry is listed as not imported instead):
 * - `unknown-format`: the content is none of the formats tried (the message lists them);
 * - `password-needed`: the file is encrypted and no password was given;
 * - `wrong-password`: the password opens none of the file's password slots;
 * - `too-large`: the file or one of its parts is above a stated cap, refused before it is parsed;
 * - `too-deep`: JSON nested deeper than any export writes;
 * - `damaged`: the format was recognised but its structure is broken (truncated, wrong types, bad encryption);
 * - `missing-part`: a part the format requires is absent (an encrypted Aegis file without a password slot...);
 * - `unsupported`: a recognised variant Latchkey does not read (an encrypted 2FAS or Bitwarden export...).
 */
export type ImportErrorReason =
  | 'unknown-format'
  | 'password-needed'
  | 'wrong-password'
  | 'too-large'
  | 'too-deep'
  | 'damaged'
  | 'missing-part'
  | 'unsupported';

/**
 * A file refused as a whole. The message names what was found and what was expected, quoting at most a short excerpt
 * that holds no secret (a field name, a format tag): messages reach the terminal, logs and `--json` output.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    readonly reason: ImportErrorReason,
    message: string,
  ) {
    super(message);
  }
}
