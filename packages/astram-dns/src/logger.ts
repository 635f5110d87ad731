/**
 * The logging surface the server uses: pino's `(object, message?)` call shape. Any pino logger
 * fits; tests pass a recorder.
 */
export interface Logger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
