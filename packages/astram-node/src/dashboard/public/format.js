// Formatting helpers for the dashboard (amounts are exact: "0x" hex ram -> ASRM via BigInt).

const RAM_PER_ASRM = 10n ** 18n;

/** "0x6f05b59d3b200000" ram -> "8" ASRM, with up to `decimals` decimals and thousands separators. */
export function formatAsrm(hex, decimals = 4) {
  const ram = BigInt(hex);
  const whole = ram / RAM_PER_ASRM;
  const frac = (ram % RAM_PER_ASRM).toString().padStart(18, "0").slice(0, decimals).replace(/0+$/, "");
  return whole.toLocaleString("en-US") + (frac ? "." + frac : "");
}

export function formatHashrate(hps) {
  const units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s"];
  let v = hps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

export function formatBytes(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** "5 s ago", "in 3 s" (devnet blocks may run ahead of the clock). */
export function formatAge(unixSeconds) {
  const d = Math.floor(Date.now() / 1000) - unixSeconds;
  return d >= 0 ? `${formatDuration(d)} ago` : `in ${formatDuration(-d)}`;
}

export function shortHash(h, n = 8) {
  return h.length > 2 * n + 1 ? `${h.slice(0, n)}…${h.slice(-n)}` : h;
}

export function formatInt(n) {
  return Number(n).toLocaleString("en-US");
}
