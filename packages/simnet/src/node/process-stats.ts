import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

export interface ProcessSample {
  readonly at: number;
  readonly rssBytes: number;
  /** User + system CPU time so far (ms). */
  readonly cpuMs: number;
}

/** Reads a process's resident memory and CPU time from /proc; undefined when it is gone. */
export function sampleProcess(pid: number, at = Date.now()): ProcessSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
    if (!Number.isFinite(ticks) || !Number.isFinite(rssKb)) return undefined;
    return { at, rssBytes: rssKb * 1024, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU use between two samples of one process, in percent of one core. */
export function cpuPercent(before: ProcessSample, after: ProcessSample): number {
  const wall = after.at - before.at;
  return wall > 0 ? (100 * (after.cpuMs - before.cpuMs)) / wall : 0;
}
