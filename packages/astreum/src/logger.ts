// The logging seam of the storage and relay services. The node (a later issue) passes its CSV logger;
// by default messages go nowhere. One method per level, one line per significant event.

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const ignore = (_msg: string): void => {};

/** A logger that drops everything (the default of every service). */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
