import { type Logger, pino } from "pino";

/** One pino logger per process; tests pass level "silent". */
export function createLogger(level: string, name = "astram-node"): Logger {
  return pino({ name, level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
