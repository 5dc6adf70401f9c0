// The library's logging hook: silent by default; wire traces only at debug level and never with secrets.

export interface CtapLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export const silentLogger: CtapLogger = { debug: () => undefined, warn: () => undefined };
