// A small line chart on a <canvas> (no library): device-pixel-ratio aware, a "nice" y axis, time
// labels on x, a filled area under the line. Points are { t (unix seconds), v (number) }.

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Points of a step line: each value holds until the next point's time. */
function stepped(points) {
  const out = [points[0]];
  for (const p of points.slice(1)) out.push({ t: p.t, v: out[out.length - 1].v }, p);
  return out;
}

/**
 * `integer`: the values are whole numbers that hold until the next point (difficulty): ticks only at
 * whole numbers and a step line instead of slopes. The tick values are left in data-ticks.
 */
export function drawLineChart(
  canvas,
  points,
  { formatY = String, empty = "no data yet", integer = false } = {},
) {
  const css = getComputedStyle(canvas);
  const color = css.getPropertyValue("--chart-line").trim() || "#4cc2ff";
  const grid = css.getPropertyValue("--chart-grid").trim() || "rgba(128,128,128,0.2)";
  const text = css.getPropertyValue("--chart-text").trim() || "#8a94a6";
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (w === 0 || h === 0) return;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  const valid = points.filter((p) => Number.isFinite(p.v));
  canvas.dataset.points = String(valid.length);

  const left = 70;
  const right = 10;
  const top = 10;
  const bottom = 22;
  const pw = w - left - right;
  const ph = h - top - bottom;
  const top4 = niceMax(Math.max(0, ...valid.map((p) => p.v)) * 1.05);
  // Four whole-number intervals when integer (max a multiple of 4), else four "nice" ones.
  const max = integer ? Math.max(4, Math.ceil(top4 / 4) * 4) : top4;
  canvas.dataset.ticks = [0, 1, 2, 3, 4].map((i) => (max * i) / 4).join(",");

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
    ctx.fillText(formatY((max * i) / 4), left - 6, y);
  }
  if (valid.length < 2) {
    ctx.textAlign = "center";
    ctx.fillText(empty, left + pw / 2, top + ph / 2);
    return;
  }
  const t0 = valid[0].t;
  const t1 = valid[valid.length - 1].t;
  const span = Math.max(1, t1 - t0);
  const x = (t) => left + ((t - t0) / span) * pw;
  const y = (v) => top + ph - (v / max) * ph;
  const label = (t) =>
    new Date(t * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(label(t0), left, top + ph + 6);
  ctx.textAlign = "right";
  ctx.fillText(label(t1), w - right, top + ph + 6);

  const gradient = ctx.createLinearGradient(0, top, 0, top + ph);
  gradient.addColorStop(0, color + "55");
  gradient.addColorStop(1, color + "05");
  ctx.beginPath();
  ctx.moveTo(x(t0), y(0));
  const path = integer ? stepped(valid) : valid;
  for (const p of path) ctx.lineTo(x(p.t), y(p.v));
  ctx.lineTo(x(t1), y(0));
  ctx.closePath();
  ctx.fillStyle = gradient;
  ctx.fill();
  ctx.beginPath();
  for (const [i, p] of path.entries()) (i === 0 ? ctx.moveTo : ctx.lineTo).call(ctx, x(p.t), y(p.v));
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.stroke();
}
