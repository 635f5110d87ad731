import { pino } from "pino";

/**
 * The logging surface the server uses: pino's `(object, message?)` call shape. A pino logger
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

/** JSON lines on stdout (pino's default format), one per event. */
export function createLogger(level: LogLevel): Logger {
  return pino({ name: "astram-dns", level });
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
