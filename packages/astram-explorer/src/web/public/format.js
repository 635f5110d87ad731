// Exact amount formatting (bigint, never floating point) and locale-aware numbers and times.

const RAM_PER_ASRM = 10n ** 18n;
const numberFormat = new Intl.NumberFormat();
const decimalSeparator =
  new Intl.NumberFormat().formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";

/** "1500000000000000000" (ram, decimal text) -> "1.5 ASRM", every decimal kept, grouped whole part. */
export function formatAsrm(ram, { unit = true, sign = false } = {}) {
  if (ram === null || ram === undefined) return "—";
  let v = BigInt(ram);
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = v / RAM_PER_ASRM;
  const frac = (v % RAM_PER_ASRM).toString().padStart(18, "0").replace(/0+$/, "");
  const prefix = neg ? "−" : sign && v > 0n ? "+" : "";
  return `${prefix}${numberFormat.format(whole)}${frac ? decimalSeparator + frac : ""}${unit ? " ASRM" : ""}`;
}

const RAM_PER_GWEI = 10n ** 9n;

/** A fee rate in ram per byte (decimal text or bigint) -> "1,815.561 Gwei/byte" (1 Gwei = 10^9 ram). */
export function formatGweiPerByte(ramPerByte) {
  if (ramPerByte === null || ramPerByte === undefined) return "—";
  const v = BigInt(ramPerByte);
  const whole = v / RAM_PER_GWEI;
  const frac = (v % RAM_PER_GWEI).toString().padStart(9, "0").slice(0, 3).replace(/0+$/, "");
  return `${numberFormat.format(whole)}${frac ? decimalSeparator + frac : ""} Gwei/byte`;
}

export function formatNumber(n) {
  if (n === null || n === undefined) return "—";
  return numberFormat.format(n);
}

/** Unix seconds -> the viewer's locale date and time. */
export function formatTime(ts) {
  if (ts === null || ts === undefined) return "—";
  return new Date(ts * 1000).toLocaleString();
}

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago" (or "in 40 s" for timestamps ahead of the clock). */
export function formatAge(ts, now = Date.now() / 1000) {
  if (ts === null || ts === undefined) return "";
  const d = Math.round(now - ts);
  const a = Math.abs(d);
  const text =
    a < 60
      ? `${a} s`
      : a < 3600
        ? `${Math.floor(a / 60)} min`
        : a < 86400
          ? `${Math.floor(a / 3600)} h`
          : `${Math.floor(a / 86400)} d`;
  return d >= 0 ? `${text} ago` : `in ${text}`;
}

export function formatSeconds(s) {
  if (s === null || s === undefined) return "—";
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(s)} s`;
}

export function formatHashrate(h) {
  if (h === null || h === undefined) return "—";
  const units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"];
  let i = 0;
  let v = h;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(v)} ${units[i]}`;
}

export function formatBytes(n) {
  if (n === null || n === undefined) return "—";
  if (n < 1024) return `${formatNumber(n)} B`;
  if (n < 1024 * 1024)
    return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(n / 1024)} kB`;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(n / 1048576)} MB`;
}

/** "0123456789…cdef": the start and end of a long hash. */
export function shortHash(h, keep = 10) {
  if (!h) return "";
  return h.length <= keep * 2 + 1 ? h : `${h.slice(0, keep)}…${h.slice(-6)}`;
}

export function escapeHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
