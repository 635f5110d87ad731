/** Units an operator reads: sizes, ages and durations. */

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "1h", "30m", "2d", "1w", "90s" or bare seconds ("3600") as whole seconds; RangeError otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,12})([smhdw]?)$/.exec(text.trim().toLowerCase());
  const seconds = m ? Number(m[1]) * UNITS[m[2] || "s"]! : Number.NaN;
  if (!(seconds >= 1)) throw new RangeError(`"${text}" is not a duration (e.g. 3600, 90s, 30m, 1h, 2d, 1w)`);
  return seconds;
}

/** 512 B, 1.5 KiB, 20.0 MiB … */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** A span of seconds in its two largest units: "42s", "3m12s", "5h03m", "2d04h". */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor((s % 86_400) / 3600))}h`;
}
