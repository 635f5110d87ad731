// A small line chart of hashrate over time on a <canvas> (no library): scaled for the device's pixel
// ratio, redrawn on resize, with a "nice" y axis, time labels and a filled area under the line.
import { formatHashrate } from "./format.js";

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function timeLabel(t) {
  return new Date(t).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function drawHashrateChart(canvas, samples) {
  const css = getComputedStyle(canvas);
  const color = css.getPropertyValue("--chart-line").trim() || "#4cc2ff";
  const grid = css.getPropertyValue("--chart-grid").trim() || "rgba(255,255,255,0.08)";
  const text = css.getPropertyValue("--chart-text").trim() || "#8a94a6";
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (w === 0 || h === 0) return;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  canvas.dataset.samples = String(samples.length);

  const left = 64;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const pw = w - left - right;
  const ph = h - top - bottom;
  const max = niceMax(Math.max(0, ...samples.map((s) => s.hashrate)) * 1.1);

  ctx.strokeStyle = grid;
  ctx.fillStyle = text;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = 0; i <= 4; i++) {
    const y = top + ph - (ph * i) / 4;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(y) + 0.5);
    ctx.lineTo(w - right, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.fillText(formatHashrate((max * i) / 4), left - 6, y);
  }

  if (samples.length < 2) {
    ctx.textAlign = "center";
    ctx.fillText("collecting hashrate samples…", left + pw / 2, top + ph / 2);
    return;
  }
  const t0 = samples[0].t;
  const t1 = samples[samples.length - 1].t;
  const span = Math.max(1, t1 - t0);
  const x = (t) => left + ((t - t0) / span) * pw;
  const y = (v) => top + ph - (v / max) * ph;

  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(timeLabel(t0), left, top + ph + 5);
  ctx.textAlign = "right";
  ctx.fillText(timeLabel(t1), w - right, top + ph + 5);

  const gradient = ctx.createLinearGradient(0, top, 0, top + ph);
  gradient.addColorStop(0, color + "55");
  gradient.addColorStop(1, color + "05");
  ctx.beginPath();
  ctx.moveTo(x(t0), y(0));
  for (const s of samples) ctx.lineTo(x(s.t), y(s.hashrate));
  ctx.lineTo(x(t1), y(0));
  ctx.closePath();
  ctx.fillStyle = gradient;
  ctx.fill();

  ctx.beginPath();
  ctx.moveTo(x(t0), y(samples[0].hashrate));
  for (const s of samples.slice(1)) ctx.lineTo(x(s.t), y(s.hashrate));
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.lineJoin = "round";
  ctx.stroke();

  const last = samples[samples.length - 1];
  ctx.beginPath();
  ctx.arc(x(last.t), y(last.hashrate), 3.5, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
}
