import { type Logger, pino } from "pino";

/** One pino logger per process (JSON lines on stdout); tests pass level "silent". */
export function createLogger(level: string, name = "astram-explorer"): Logger {
  return pino({ name, level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
