// The node dashboard: polls /status, /blocks and /mining (for the hashrate history) and renders them.
import { drawHashrateChart } from "./chart.js";
import {
  formatAge,
  formatAsrm,
  formatBytes,
  formatDuration,
  formatHashrate,
  formatInt,
  shortHash,
} from "./format.js";

const params = new URLSearchParams(location.search);
const INTERVAL_MS = Math.max(500, Number(params.get("interval")) || 2000);
const MAX_SAMPLES = 720;

const $ = (id) => document.getElementById(id);
const set = (id, text) => {
  const el = $(id);
  if (el && el.textContent !== String(text)) el.textContent = String(text);
};

const state = {
  paused: false,
  samples: [],
  lastSample: 0,
  tipHash: null,
  blocks: null,
  status: null,
  timer: 0,
};

async function getJSON(path) {
  const res = await fetch(path, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

function cell(text, opts = {}) {
  const td = document.createElement("td");
  if (opts.code) {
    const c = document.createElement("code");
    c.textContent = text;
    if (opts.title) c.title = opts.title;
    td.append(c);
  } else td.textContent = text;
  if (opts.className) td.className = opts.className;
  return td;
}

function renderStatus(s) {
  set("network", s.node.network);
  set("height", formatInt(s.blockchain.height));
  set("tip-hash", s.blockchain.chain_tip);
  $("tip-hash").title = s.blockchain.chain_tip;
  set("tip-age", formatAge(s.blockchain.tip_timestamp));
  set("difficulty", `${s.blockchain.difficulty} (tip ${s.blockchain.tip_difficulty})`);
  set("chain-work", BigInt(s.blockchain.chain_work).toLocaleString("en-US"));
  set("utxo-count", formatInt(s.blockchain.utxo_count));
  const sync = s.sync;
  set(
    "sync-state",
    sync.syncing
      ? `syncing: ${formatInt(sync.current_height)} of ${formatInt(sync.highest_height)} (${sync.progress_percent} %)`
      : "up to date",
  );
  $("sync-state").dataset.state = sync.syncing ? "syncing" : "synced";

  const m = s.mining;
  set("mining-state", m.active ? "active" : "idle");
  $("mining-state").dataset.state = m.active ? "on" : "off";
  set("hashrate", formatHashrate(m.hashrate));
  set("blocks-found", formatInt(m.blocks_mined));
  set(
    "mining-detail",
    `${m.backend ? `${m.backend} backend · ` : ""}${m.threads} thread${m.threads === 1 ? "" : "s"} · difficulty ${m.difficulty}`,
  );

  set("wallet-address", s.wallet.address ?? "no miner address configured");
  set("wallet-balance", formatAsrm(s.wallet.balance));

  set("mempool-count", formatInt(s.mempool.pending_transactions));
  set("mempool-fees", formatAsrm(s.mempool.total_fees, 6));
  set("mempool-bytes", formatBytes(s.mempool.bytes));
  set("mempool-limits", `${formatInt(s.mempool.max_size)} txs · ${formatBytes(s.mempool.max_bytes)}`);

  const peers = s.network.peers;
  set("peer-count", String(s.network.connected_peers));
  set(
    "subnets",
    `${s.network.subnet_diversity.unique_16_subnets} distinct /16 · ${s.network.subnet_diversity.unique_24_subnets} distinct /24`,
  );
  const body = $("peers");
  const rows = peers.map((p) => {
    const tr = document.createElement("tr");
    tr.append(
      cell(p.address, { code: true, title: p.id }),
      cell(p.direction === "inbound" ? "in" : "out"),
      cell(formatInt(p.height)),
      cell(p.version),
    );
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("No peers connected", { className: "muted" });
    td.colSpan = 4;
    tr.append(td);
    rows.push(tr);
  }
  body.replaceChildren(...rows);

  set("node-version", s.node.version);
  set("network-id", s.node.network_id);
  set("chain-id", `${s.node.chain_id} (0x${s.node.chain_id.toString(16)})`);
  set("uptime", formatDuration(s.node.uptime_seconds));
  set("invalid-blocks", formatInt(s.security.validation_failures_total));
}

function renderBlocks(list) {
  const rows = list.blocks.map((b) => {
    const tr = document.createElement("tr");
    tr.append(
      cell(formatInt(b.height)),
      cell(shortHash(b.hash, 6), { code: true, title: b.hash }),
      cell(formatAge(b.timestamp)),
      cell(String(b.tx_count)),
      cell(formatBytes(b.size), { className: "hide-narrow" }),
    );
    return tr;
  });
  $("recent-blocks").replaceChildren(...rows);
}

function renderChart() {
  drawHashrateChart($("hashrate-chart"), state.samples);
}

async function refresh() {
  try {
    const [status, mining] = await Promise.all([
      getJSON("/status"),
      getJSON(`/mining?since=${state.lastSample}`),
    ]);
    state.status = status;
    renderStatus(status);
    if (mining.history.length > 0) {
      state.samples.push(...mining.history);
      if (state.samples.length > MAX_SAMPLES) state.samples.splice(0, state.samples.length - MAX_SAMPLES);
      state.lastSample = state.samples[state.samples.length - 1].t;
    }
    renderChart();
    // The list follows the tip's hash, not its height: a reorg to a branch of the same height
    // replaces blocks without changing the height.
    if (status.blockchain.chain_tip !== state.tipHash) {
      state.blocks = await getJSON("/blocks?limit=8");
      state.tipHash = status.blockchain.chain_tip;
    }
    // Redrawn on every poll so the ages advance while no block arrives.
    if (state.blocks) renderBlocks(state.blocks);
    $("conn-dot").dataset.state = "ok";
    set("conn-state", "live");
    set("updated", new Date().toLocaleTimeString("en-GB"));
    document.body.dataset.loaded = "true";
  } catch (e) {
    $("conn-dot").dataset.state = "error";
    set("conn-state", "node unreachable");
    console.warn(e);
  }
}

function schedule() {
  clearTimeout(state.timer);
  if (state.paused) return;
  state.timer = setTimeout(async () => {
    await refresh();
    schedule();
  }, INTERVAL_MS);
}

$("pause").addEventListener("click", (ev) => {
  state.paused = !state.paused;
  ev.currentTarget.textContent = state.paused ? "Resume" : "Pause";
  ev.currentTarget.setAttribute("aria-pressed", String(state.paused));
  set("conn-state", state.paused ? "paused" : "live");
  if (!state.paused) refresh().then(schedule);
});

new ResizeObserver(() => renderChart()).observe($("hashrate-chart"));
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !state.paused) refresh().then(schedule);
});

refresh().then(schedule);
