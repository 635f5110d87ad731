// The active log file `node.csv` of one log directory, with the reference's rotation (facts §6):
// records are queued and written by a background flush (one per event-loop turn, like Python's
// queue listener); at the first record of a new UTC day the file is renamed node-YYYY-MM-DD.csv
// (the day it covers), gzipped to node-YYYY-MM-DD.csv.gz, and only the newest `retentionDays`
// rotated files are kept (0 keeps all). A new or empty file starts with the header row. Disk-full,
// quota and out-of-memory errors disable the file for good instead of crashing the node.
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { csvRow, LOG_COLUMNS } from "./csv.js";
import { utcDay } from "./format.js";

export interface CsvLogFileOptions {
  directory: string;
  /** Rotated files to keep (default 7; 0 = keep all). */
  retentionDays?: number;
  /** The clock, in milliseconds since the epoch (tests inject one; default Date.now). */
  now?: () => number;
  /** Called once when the file is disabled after a fatal write error. */
  onDisabled?: (err: Error) => void;
}

interface Pending {
  ms: number;
  row: string;
}

const FATAL_CODES = new Set(["ENOSPC", "EDQUOT", "ENOMEM", "EFBIG"]);
const ROTATED = /^node-(\d{4}-\d{2}-\d{2})\.csv\.gz$/;

export class CsvLogFile {
  readonly directory: string;
  readonly path: string;
  readonly retentionDays: number;
  readonly now: () => number;
  private fd: number | null = null;
  private day: string | null = null;
  private queue: Pending[] = [];
  private scheduled = false;
  private disabledBy: Error | null = null;
  private closed = false;
  private readonly onDisabled: ((err: Error) => void) | undefined;
  private readonly onExit = (): void => this.flush();

  constructor(o: CsvLogFileOptions) {
    this.directory = o.directory;
    this.path = join(o.directory, "node.csv");
    this.retentionDays = o.retentionDays ?? 7;
    this.now = o.now ?? Date.now;
    this.onDisabled = o.onDisabled;
    mkdirSync(this.directory, { recursive: true });
    const legacy = join(this.directory, "node.log");
    if (existsSync(legacy)) unlinkSync(legacy);
    try {
      this.open();
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException);
    }
    process.on("exit", this.onExit);
  }

  get disabled(): boolean {
    return this.disabledBy !== null;
  }

  /** Queues one record (its time in ms decides the day it belongs to). */
  write(ms: number, fields: readonly string[]): void {
    if (this.closed || this.disabledBy !== null) return;
    this.queue.push({ ms, row: csvRow(fields) });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush()).unref();
    }
  }

  /** Writes every queued record now (rotating first when a record starts a new day). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0 || this.disabledBy !== null) return;
    try {
      let chunk = "";
      for (const r of batch) {
        const day = utcDay(r.ms);
        if (this.day !== null && day > this.day) {
          this.append(chunk);
          chunk = "";
          this.rotate(day);
        }
        chunk += r.row;
      }
      this.append(chunk);
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException);
    }
  }

  /** Flushes and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    process.off("exit", this.onExit);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Rotated files present, oldest first. */
  rotatedFiles(): string[] {
    return readdirSync(this.directory)
      .filter((f) => ROTATED.test(f))
      .sort();
  }

  private open(): void {
    this.fd = openSync(this.path, "a");
    const st = fstatSync(this.fd);
    if (st.size === 0) {
      this.day = utcDay(this.now());
      writeSync(this.fd, csvRow(LOG_COLUMNS));
    } else this.day = utcDay(Math.min(st.mtimeMs, this.now()));
    // A file left from an earlier day is rotated before anything new is written to it.
    if (st.size > 0 && this.day < utcDay(this.now())) this.rotate(utcDay(this.now()));
  }

  private append(text: string): void {
    if (text === "" || this.fd === null) return;
    writeSync(this.fd, text);
  }

  private rotate(newDay: string): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const plain = join(this.directory, `node-${this.day}.csv`);
    renameSync(this.path, plain);
    writeFileSync(`${plain}.gz`, gzipSync(readFileSync(plain)));
    unlinkSync(plain);
    if (this.retentionDays > 0) {
      const rotated = this.rotatedFiles();
      for (const f of rotated.slice(0, Math.max(0, rotated.length - this.retentionDays)))
        unlinkSync(join(this.directory, f));
    }
    this.fd = openSync(this.path, "a");
    this.day = newDay;
    writeSync(this.fd, csvRow(LOG_COLUMNS));
  }

  private fail(err: NodeJS.ErrnoException): void {
    if (err.code !== undefined && FATAL_CODES.has(err.code)) {
      this.disabledBy = err;
      this.queue = [];
      try {
        if (this.fd !== null) closeSync(this.fd);
      } catch {
        // already unusable
      }
      this.fd = null;
      this.onDisabled?.(err);
      return;
    }
    process.stderr.write(`astreum logging: ${err.message}\n`);
  }
}
