// A node's logger (facts §6): INFO and above become CSV rows (ts, level, msg, module, func) in the
// shared node.csv of the log directory, and with `verbose` also console lines on stdout. `module`
// and `func` name the code that logged, like Python's record.module and record.funcName: the
// first stack frame outside this folder (file name without extension, function name).
// Disabled, it drops everything and touches nothing: no directory, no file, no timer.
import { basename, dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";
import { CsvLogFile } from "./csv-log-file.js";
import { consoleLine, isoTimestamp, type LogLevel } from "./format.js";

export interface NodeLoggerOptions {
  /** false: a logger that drops everything (logging_enabled false). */
  enabled: boolean;
  /** The log directory (instance directory); required when enabled. */
  directory?: string;
  retentionDays?: number;
  /** Mirror records to stdout as `[YYYY-MM-DD-SS-MM] [level] message`. */
  verbose?: boolean;
  /** Prefix of console lines (`name: message`). */
  name?: string | null;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Where console lines go (default process.stdout). */
  stdout?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));
const sharedFiles = new Map<string, { file: CsvLogFile; refs: number }>();

function acquire(directory: string, retentionDays: number, now: (() => number) | undefined): CsvLogFile {
  const hit = sharedFiles.get(directory);
  if (hit !== undefined && now === undefined) {
    hit.refs++;
    return hit.file;
  }
  const file = new CsvLogFile({
    directory,
    retentionDays,
    ...(now === undefined ? {} : { now }),
    onDisabled: (err) => process.stderr.write(`astreum logging disabled: ${err.message}\n`),
  });
  if (now === undefined) sharedFiles.set(directory, { file, refs: 1 });
  return file;
}

function release(file: CsvLogFile): void {
  const hit = sharedFiles.get(file.directory);
  if (hit === undefined || hit.file !== file) {
    file.close();
    return;
  }
  if (--hit.refs === 0) {
    sharedFiles.delete(file.directory);
    file.close();
  }
}

/** The module (file name without extension) and function of the first frame outside logging/. */
export function callerOrigin(stack: string | undefined = new Error().stack): {
  module: string;
  func: string;
} {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = /^\s*at (?:async )?(?:(.*?) \()?(.*?):\d+:\d+\)?$/.exec(line);
    if (m === null) continue;
    let file = m[2]!;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (file.startsWith("node:") || dirname(file) === here || basename(file).startsWith("logger.")) continue;
    const fn = m[1] ?? "";
    const parts = fn.replace(/^new /, "").split(".");
    const func = parts[parts.length - 1] || "<module>";
    return { module: basename(file, extname(file)), func: func === "<anonymous>" ? "<module>" : func };
  }
  return { module: "", func: "" };
}

export class NodeLogger implements Logger {
  readonly enabled: boolean;
  readonly directory: string | null;
  readonly verbose: boolean;
  private file: CsvLogFile | null;
  private readonly now: () => number;
  private readonly stdout: (line: string) => void;
  private readonly name: string | null;

  constructor(o: NodeLoggerOptions) {
    this.enabled = o.enabled;
    this.verbose = o.enabled && (o.verbose ?? false);
    this.now = o.now ?? Date.now;
    this.stdout = o.stdout ?? ((line) => process.stdout.write(`${line}\n`));
    this.name = o.name ?? null;
    if (!o.enabled) {
      this.directory = null;
      this.file = null;
      return;
    }
    if (o.directory === undefined) throw new RangeError("an enabled logger needs a directory");
    this.directory = o.directory;
    this.file = acquire(o.directory, o.retentionDays ?? 7, o.now);
  }

  /** The CSV file's path, or null when logging is disabled. */
  get path(): string | null {
    return this.file?.path ?? null;
  }

  /** Debug records are below the INFO level: dropped. */
  debug(_msg: string): void {}

  info(msg: string): void {
    this.record("INFO", msg);
  }

  warn(msg: string): void {
    this.record("WARNING", msg);
  }

  error(msg: string): void {
    this.record("ERROR", msg);
  }

  /** Writes queued rows now. */
  flush(): void {
    this.file?.flush();
  }

  /** Flushes and releases the file. */
  close(): void {
    if (this.file === null) return;
    const f = this.file;
    this.file = null;
    release(f);
  }

  private record(level: LogLevel, msg: string): void {
    if (this.file === null && !this.verbose) return;
    const ms = this.now();
    if (this.file !== null) {
      const { module, func } = callerOrigin();
      this.file.write(ms, [isoTimestamp(ms), level, msg, module, func]);
    }
    if (this.verbose) this.stdout(consoleLine(ms, level, msg, this.name));
  }
}

/** A logger that drops everything (logging_enabled false). */
export function disabledLogger(): NodeLogger {
  return new NodeLogger({ enabled: false });
}
