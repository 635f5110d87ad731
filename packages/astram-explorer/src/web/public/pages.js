// Page renderers: each page has render(app, ctx) and, when it shows live data, refresh(app, ctx).
// ctx = { api, arg (path parameter), query (URLSearchParams), isCurrent() }.
import { drawLineChart } from "./chart.js";
import {
  escapeHtml as e,
  formatAge,
  formatAsrm,
  formatBytes,
  formatGweiPerByte,
  formatHashrate,
  formatNumber,
  formatSeconds,
  formatTime,
  shortHash,
} from "./format.js";

const blockLink = (ref, text = ref) => `<a href="/block/${e(ref)}">${e(text)}</a>`;
const txLink = (txid, keep = 10) =>
  `<a class="mono" href="/tx/${e(txid)}" title="${e(txid)}">${e(shortHash(txid, keep))}</a>`;
const addrLink = (a, full = false) =>
  a ? `<a class="mono" href="/address/${e(a)}" title="${e(a)}">${e(full ? a : shortHash(a, 8))}</a>` : "—";
const time = (ts) =>
  `<time datetime="${new Date(ts * 1000).toISOString()}" title="${e(formatTime(ts))}">${e(formatTime(ts))}</time>`;

function table(id, headers, rows, empty = "Nothing here yet.") {
  const cls = (h) => {
    const c = [h?.wide ? "wide" : "", h?.num ? "num" : ""].filter(Boolean).join(" ");
    return c ? ` class="${c}"` : "";
  };
  const head = headers.map((h) => `<th${cls(h)}>${e(h.label ?? h)}</th>`).join("");
  const body = rows.length
    ? rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(headers[i])}>${c}</td>`).join("")}</tr>`).join("")
    : `<tr><td colspan="${headers.length}" class="empty">${e(empty)}</td></tr>`;
  return `<div class="table-wrap"><table id="${id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function fields(id, rows) {
  return `<dl class="fields" id="${id}">${rows
    .filter(Boolean)
    .map(([k, v, key]) => `<div${key ? ` data-field="${key}"` : ""}><dt>${e(k)}</dt><dd>${v}</dd></div>`)
    .join("")}</dl>`;
}

function pager(path, page, limit, total) {
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return "";
  const link = (p, text) => `<a href="${path}?page=${p}" data-page="${p}">${text}</a>`;
  return `<nav class="pager" aria-label="pages">${page > 1 ? link(1, "« First") + link(page - 1, "‹ Newer") : ""}<span>Page ${formatNumber(
    page,
  )} of ${formatNumber(pages)}</span>${page < pages ? link(page + 1, "Older ›") + link(pages, "Last »") : ""}</nav>`;
}

function confirmationLabel(n) {
  if (n <= 0) return '<span class="badge pending">Unconfirmed</span>';
  if (n < 6) return `<span class="badge low">${formatNumber(n)} confirmation${n === 1 ? "" : "s"}</span>`;
  return `<span class="badge ok">${formatNumber(n)} confirmations</span>`;
}

const pageNumber = (ctx) => Math.max(1, Number(ctx.query.get("page")) || 1);

// ---------------------------------------------------------------------------------------- home

function statCards(s) {
  const card = (id, label, value, sub = "") =>
    `<div class="stat"><div class="label">${e(label)}</div><div class="value" id="${id}">${value}</div><div class="sub">${sub}</div></div>`;
  return [
    card("stat-height", "Height", formatNumber(s.height), `${formatNumber(s.blocks)} blocks`),
    card(
      "stat-transactions",
      "Transactions",
      formatNumber(s.transactions),
      `${formatNumber(s.addresses)} addresses`,
    ),
    card(
      "stat-supply",
      "Supply issued",
      formatAsrm(s.supply),
      `schedule: ${formatAsrm(s.scheduled_issuance)}`,
    ),
    card(
      "stat-difficulty",
      "Difficulty",
      formatNumber(s.difficulty),
      s.next_difficulty !== null ? `next block: ${formatNumber(s.next_difficulty)}` : "",
    ),
    card(
      "stat-blocktime",
      "Average block time",
      formatSeconds(s.average_block_time),
      `last ${formatNumber(s.window_blocks)} blocks${s.target_block_time ? `, target ${s.target_block_time} s` : ""}`,
    ),
    card(
      "stat-hashrate",
      "Network hashrate",
      formatHashrate(s.hashrate),
      "estimated: Σ 16^difficulty / time",
    ),
    card("stat-mempool", "Mempool", formatNumber(s.mempool.count), `${formatBytes(s.mempool.bytes)} pending`),
  ].join("");
}

function latestBlocks(list) {
  return table(
    "latest-blocks",
    ["Height", "Time", "Txs", { label: "Miner", wide: true }],
    list.blocks.map((b) => [
      blockLink(b.height, formatNumber(b.height)),
      `<span title="${e(formatTime(b.timestamp))}">${e(formatAge(b.timestamp))}</span>`,
      formatNumber(b.tx_count),
      addrLink(b.miner),
    ]),
  );
}

function latestTxs(list) {
  return table(
    "latest-txs",
    ["Transaction", "Block", { label: "Amount", num: true }, { label: "Fee", wide: true, num: true }],
    list.transactions.map((t) => [
      txLink(t.txid, 8) + (t.coinbase ? ' <span class="badge">reward</span>' : ""),
      blockLink(t.block_height, formatNumber(t.block_height)),
      formatAsrm(t.amount),
      t.coinbase ? "—" : formatAsrm(t.fee),
    ]),
  );
}

async function fillHome(app, ctx) {
  const [stats, blocks, txs] = await Promise.all([
    ctx.api("/api/stats"),
    ctx.api("/api/blocks?limit=8"),
    ctx.api("/api/transactions?limit=8"),
  ]);
  if (!ctx.isCurrent()) return;
  app.querySelector("#stats").innerHTML = statCards(stats);
  app.querySelector("#latest-blocks-box").innerHTML = latestBlocks(blocks);
  app.querySelector("#latest-txs-box").innerHTML = latestTxs(txs);
}

const home = {
  async render(app, ctx) {
    app.innerHTML = `<h1 class="visually-hidden">Astram blockchain</h1>
      <section class="stats" id="stats"></section>
      <div class="columns">
        <section class="card"><h2>Latest blocks <a class="more" href="/blocks">all blocks</a></h2><div id="latest-blocks-box"></div></section>
        <section class="card"><h2>Latest transactions <a class="more" href="/transactions">all transactions</a></h2><div id="latest-txs-box"></div></section>
      </div>`;
    await fillHome(app, ctx);
  },
  refresh: fillHome,
};

// ---------------------------------------------------------------------------------------- lists

const blocks = {
  async render(app, ctx) {
    const page = pageNumber(ctx);
    const r = await ctx.api(`/api/blocks?page=${page}&limit=20`);
    app.innerHTML = `<section class="card"><h1>Blocks</h1>${table(
      "blocks-table",
      [
        "Height",
        { label: "Hash", wide: true },
        "Time",
        "Txs",
        { label: "Miner", wide: true },
        { label: "Difficulty", wide: true },
        { label: "Size", wide: true },
      ],
      r.blocks.map((b) => [
        blockLink(b.height, formatNumber(b.height)),
        `<a class="mono" href="/block/${b.hash}">${e(shortHash(b.hash, 12))}</a>`,
        time(b.timestamp),
        formatNumber(b.tx_count),
        addrLink(b.miner),
        formatNumber(b.difficulty),
        formatBytes(b.size),
      ]),
    )}${pager("/blocks", page, r.limit, r.total)}</section>`;
  },
};

const transactions = {
  async render(app, ctx) {
    const page = pageNumber(ctx);
    const r = await ctx.api(`/api/transactions?page=${page}&limit=25`);
    app.innerHTML = `<section class="card"><h1>Transactions</h1>${table(
      "transactions-table",
      [
        "Transaction",
        "Block",
        { label: "Time", wide: true },
        { label: "From", wide: true },
        { label: "Amount", num: true },
        { label: "Fee", num: true, wide: true },
      ],
      r.transactions.map((t) => [
        txLink(t.txid),
        blockLink(t.block_height, formatNumber(t.block_height)),
        time(t.timestamp),
        t.coinbase ? '<span class="badge">block reward</span>' : addrLink(t.from),
        formatAsrm(t.amount),
        t.coinbase ? "—" : formatAsrm(t.fee),
      ]),
    )}${pager("/transactions", page, r.limit, r.total)}</section>`;
  },
};

// ---------------------------------------------------------------------------------------- block

const block = {
  async render(app, ctx) {
    const txPage = pageNumber(ctx);
    const b = await ctx.api(`/api/block/${encodeURIComponent(ctx.arg)}?tx_page=${txPage}&tx_limit=50`);
    app.innerHTML = `<section class="card"><h1>Block ${formatNumber(b.height)}</h1>${fields("block-fields", [
      ["Hash", `<span class="mono break" id="block-hash">${e(b.hash)}</span>`, "hash"],
      [
        "Confirmations",
        `<span id="block-confirmations">${confirmationLabel(b.confirmations)}</span>`,
        "confirmations",
      ],
      ["Time", time(b.timestamp), "time"],
      ["Miner", addrLink(b.miner, true), "miner"],
      ["Transactions", formatNumber(b.tx_count), "tx_count"],
      ["Reward (coinbase)", formatAsrm(b.reward), "reward"],
      ["Fees", formatAsrm(b.fees), "fees"],
      ["Issued (reward − fees)", formatAsrm(b.issued), "issued"],
      ["Volume", formatAsrm(b.volume), "volume"],
      ["Difficulty", formatNumber(b.difficulty), "difficulty"],
      ["Nonce", `<span class="mono">${e(b.nonce)}</span>`, "nonce"],
      ["Size", formatBytes(b.size), "size"],
      [
        "Previous block",
        b.height > 0
          ? `<a class="mono break" href="/block/${b.previous_hash}">${e(b.previous_hash)}</a>`
          : "— (genesis)",
        "previous",
      ],
      [
        "Next block",
        b.next_hash ? `<a class="mono break" href="/block/${b.next_hash}">${e(b.next_hash)}</a>` : "— (tip)",
        "next",
      ],
      ["Merkle root", `<span class="mono break">${e(b.merkle_root)}</span>`, "merkle"],
    ])}</section>
    <section class="card"><h2>Transactions</h2>${table(
      "block-txs",
      [
        "#",
        "Transaction",
        { label: "From", wide: true },
        { label: "Amount", num: true },
        { label: "Fee", num: true },
      ],
      b.transactions.map((t) => [
        String(t.position),
        txLink(t.txid),
        t.coinbase ? '<span class="badge">block reward</span>' : addrLink(t.from),
        formatAsrm(t.amount),
        t.coinbase ? "—" : formatAsrm(t.fee),
      ]),
    )}${pager(`/block/${b.height}`, txPage, b.tx_limit, b.tx_count)}</section>`;
  },
  async refresh(app, ctx) {
    const b = await ctx.api(`/api/block/${encodeURIComponent(ctx.arg)}?tx_limit=1`);
    const el = app.querySelector("#block-confirmations");
    if (el && ctx.isCurrent()) el.innerHTML = confirmationLabel(b.confirmations);
  },
};

// ---------------------------------------------------------------------------------------- transaction

function txView(t) {
  const inputs = t.coinbase
    ? `<p id="tx-coinbase" class="note">Coinbase: no inputs. It pays the block reward of ${e(formatAsrm(t.reward))} plus the block's fees.</p>`
    : table(
        "tx-inputs",
        ["#", "Spends output", "From", { label: "Amount", num: true }],
        t.inputs.map((i) => [
          String(i.vin),
          `${txLink(i.prev_txid, 6)}:${i.prev_vout}${i.source_height !== null ? ` <span class="dim wide">(block ${blockLink(i.source_height, formatNumber(i.source_height))})</span>` : i.unconfirmed_source ? ' <span class="dim wide">(unconfirmed)</span>' : ""}`,
          addrLink(i.address),
          formatAsrm(i.amount),
        ]),
      );
  const outputs = table(
    "tx-outputs",
    ["#", "To", { label: "Amount", num: true }, "State"],
    t.outputs.map((o) => [
      String(o.vout),
      addrLink(o.address),
      formatAsrm(o.amount),
      o.spent
        ? `<span class="badge spent">Spent</span> by ${txLink(o.spent_by.txid, 8)}`
        : '<span class="badge ok">Unspent</span>',
    ]),
  );
  const pending = t.status === "pending";
  return `<section class="card"><h1>Transaction</h1>${fields("tx-fields", [
    ["Transaction id", `<span class="mono break" id="tx-id">${e(t.txid)}</span>`, "txid"],
    ["Ethereum hash", `<span class="mono break">${e(t.eth_hash)}</span>`, "eth_hash"],
    [
      "Status",
      pending
        ? '<span class="badge pending" id="tx-status">Pending (mempool)</span>'
        : `<span id="tx-status" class="badge ok">Confirmed</span>`,
      "status",
    ],
    ["Block", pending ? "—" : `${blockLink(t.block_height, formatNumber(t.block_height))}`, "block"],
    [
      "Confirmations",
      `<span id="tx-confirmations">${confirmationLabel(t.confirmations)}</span>`,
      "confirmations",
    ],
    ["Time", time(t.timestamp), "time"],
    [
      "Type",
      t.coinbase
        ? "Coinbase (block reward)"
        : t.eth_hash !== t.utxo_eth_hash && t.utxo_eth_hash
          ? "Transfer signed by an Ethereum wallet"
          : "Transfer",
      "type",
    ],
    [
      "Amount",
      `<span id="tx-amount">${e(formatAsrm(t.amount))}</span>${t.coinbase ? "" : ' <span class="dim">(change excluded)</span>'}`,
      "amount",
    ],
    ["Input total", t.coinbase ? "—" : formatAsrm(t.input_total), "input_total"],
    ["Output total", formatAsrm(t.output_total), "output_total"],
    [
      "Fee",
      t.coinbase
        ? "—"
        : `<span id="tx-fee">${e(formatAsrm(t.fee))}</span>${t.fee_per_byte ? ` <span class="dim" id="tx-fee-rate">(${e(formatGweiPerByte(t.fee_per_byte))})</span>` : ""}`,
      "fee",
    ],
    ["Size", formatBytes(t.size), "size"],
  ])}</section>
  <section class="card"><h2>Inputs (${formatNumber(t.inputs.length)})</h2>${inputs}</section>
  <section class="card"><h2>Outputs (${formatNumber(t.outputs.length)})</h2>${outputs}</section>`;
}

const tx = {
  async render(app, ctx) {
    const t = await ctx.api(`/api/tx/${encodeURIComponent(ctx.arg)}`);
    app.innerHTML = txView(t);
    app.dataset.status = t.status;
  },
  async refresh(app, ctx) {
    const t = await ctx.api(`/api/tx/${encodeURIComponent(ctx.arg)}`);
    if (!ctx.isCurrent()) return;
    if (t.status !== app.dataset.status) {
      app.innerHTML = txView(t);
      app.dataset.status = t.status;
    } else {
      const el = app.querySelector("#tx-confirmations");
      if (el) el.innerHTML = confirmationLabel(t.confirmations);
    }
  },
};

// ---------------------------------------------------------------------------------------- address

function signed(net) {
  const v = BigInt(net);
  return `<span class="${v > 0n ? "plus" : v < 0n ? "minus" : ""}">${e(formatAsrm(net, { sign: true }))}</span>`;
}

async function addressView(ctx) {
  const page = pageNumber(ctx);
  const [a, h] = await Promise.all([
    ctx.api(`/api/address/${encodeURIComponent(ctx.arg)}`),
    ctx.api(`/api/address/${encodeURIComponent(ctx.arg)}/history?page=${page}&limit=25`),
  ]);
  const rows = [
    ...h.pending.map((t) => [
      txLink(t.txid),
      '<span class="badge pending">pending</span>',
      "—",
      signed(t.net),
    ]),
    ...h.transactions.map((t) => [
      txLink(t.txid),
      blockLink(t.block_height, formatNumber(t.block_height)),
      time(t.timestamp),
      signed(t.net),
    ]),
  ];
  return `<section class="card"><h1>Address</h1><p class="mono break" id="addr-id" title="EIP-55: ${e(a.checksum_address)}">${e(a.checksum_address)}</p>
    <div class="stats small">
      <div class="stat"><div class="label">Balance</div><div class="value" id="addr-balance">${e(formatAsrm(a.balance))}</div><div class="sub">${a.rank ? `rank #${formatNumber(a.rank)} in the rich list` : ""}</div></div>
      <div class="stat"><div class="label">Received</div><div class="value" id="addr-received">${e(formatAsrm(a.received))}</div></div>
      <div class="stat"><div class="label">Sent</div><div class="value" id="addr-sent">${e(formatAsrm(a.sent))}</div></div>
      <div class="stat"><div class="label">Transactions</div><div class="value" id="addr-txcount">${formatNumber(a.tx_count)}</div><div class="sub">${formatNumber(a.utxo_count)} unspent outputs</div></div>
    </div>
    ${fields("addr-fields", [
      [
        "First seen",
        a.first_seen
          ? `${blockLink(a.first_seen.height, `block ${formatNumber(a.first_seen.height)}`)}, ${time(a.first_seen.timestamp)}`
          : "never",
        "first",
      ],
      [
        "Last activity",
        a.last_seen
          ? `${blockLink(a.last_seen.height, `block ${formatNumber(a.last_seen.height)}`)}, ${time(a.last_seen.timestamp)}`
          : "never",
        "last",
      ],
      [
        "Pending",
        a.pending.count
          ? `<span id="addr-pending">${formatNumber(a.pending.count)} transaction(s): +${e(formatAsrm(a.pending.received))} / −${e(formatAsrm(a.pending.sent))}</span>`
          : '<span id="addr-pending">none</span>',
        "pending",
      ],
    ])}</section>
    <section class="card"><h2>History</h2>${table("addr-history", ["Transaction", "Block", { label: "Time", wide: true }, { label: "Amount", num: true }], rows, "No transactions.")}${pager(`/address/${a.address}`, page, h.limit, h.total)}</section>`;
}

const address = {
  async render(app, ctx) {
    app.innerHTML = await addressView(ctx);
  },
  async refresh(app, ctx) {
    const html = await addressView(ctx);
    if (ctx.isCurrent()) app.innerHTML = html;
  },
};

// ---------------------------------------------------------------------------------------- mempool, rich list

async function mempoolView(ctx) {
  const m = await ctx.api("/api/mempool?limit=200");
  return `<section class="card"><h1>Mempool</h1>
    <div class="stats small">
      <div class="stat"><div class="label">Pending</div><div class="value" id="mempool-count">${formatNumber(m.count)}</div></div>
      <div class="stat"><div class="label">Size</div><div class="value">${formatBytes(m.bytes)}</div></div>
      <div class="stat"><div class="label">Fees</div><div class="value">${e(formatAsrm(m.total_fees))}</div></div>
    </div>
    ${table(
      "mempool-table",
      [
        "Transaction",
        { label: "From", wide: true },
        { label: "Amount", num: true },
        { label: "Fee", num: true },
        { label: "Fee rate", wide: true, num: true },
        { label: "Received", wide: true },
      ],
      m.transactions.map((t) => [
        txLink(t.txid),
        addrLink(t.from),
        formatAsrm(t.amount),
        formatAsrm(t.fee),
        t.fee_per_byte ? `${formatNumber(BigInt(t.fee_per_byte))} ram/B` : "—",
        time(t.added_at),
      ]),
      "The mempool is empty.",
    )}</section>`;
}

const mempool = {
  async render(app, ctx) {
    app.innerHTML = await mempoolView(ctx);
  },
  async refresh(app, ctx) {
    const html = await mempoolView(ctx);
    if (ctx.isCurrent()) app.innerHTML = html;
  },
};

const richlist = {
  async render(app, ctx) {
    const page = pageNumber(ctx);
    const r = await ctx.api(`/api/richlist?page=${page}&limit=25`);
    app.innerHTML = `<section class="card"><h1>Rich list</h1><p class="note">Supply issued: <span id="richlist-supply">${e(formatAsrm(r.supply))}</span> held by ${formatNumber(r.total)} addresses.</p>${table(
      "richlist-table",
      [
        "Rank",
        "Address",
        { label: "Balance", num: true },
        { label: "Share", num: true },
        { label: "Txs", wide: true },
      ],
      r.addresses.map((a) => [
        String(a.rank),
        addrLink(a.address, true),
        formatAsrm(a.balance),
        `${a.share_percent} %`,
        formatNumber(a.tx_count),
      ]),
    )}${pager("/richlist", page, r.limit, r.total)}</section>`;
  },
};

// ---------------------------------------------------------------------------------------- charts

async function drawCharts(app, ctx) {
  const blocksBack = Number(ctx.query.get("blocks")) || 1000;
  const r = await ctx.api(`/api/charts?blocks=${blocksBack}&points=120`);
  if (!ctx.isCurrent()) return;
  const pts = (key) => r.points.map((p) => ({ t: p.timestamp, v: p[key] }));
  const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
  drawLineChart(app.querySelector("#chart-blocktime"), pts("block_time"), {
    formatY: (v) => `${compact.format(v)} s`,
  });
  // Difficulty is an integer that changes from one block to the next: whole-number ticks, steps.
  drawLineChart(app.querySelector("#chart-difficulty"), pts("difficulty"), {
    formatY: (v) => compact.format(v),
    integer: true,
  });
  drawLineChart(app.querySelector("#chart-hashrate"), pts("hashrate"), { formatY: formatHashrate });
  app.querySelector("#chart-range").textContent =
    r.from === null
      ? "No blocks yet."
      : `Blocks ${formatNumber(r.from)} to ${formatNumber(r.to)}, ${formatNumber(r.points.length)} points.`;
}

const charts = {
  async render(app, ctx) {
    const current = Number(ctx.query.get("blocks")) || 1000;
    const choices = [100, 1000, 10000, 100000]
      .map(
        (n) =>
          `<a href="/charts?blocks=${n}" class="${n === current ? "active" : ""}">last ${formatNumber(n)}</a>`,
      )
      .join("");
    app.innerHTML = `<section class="card"><h1>Charts</h1><nav class="choices">${choices}</nav><p class="note" id="chart-range"></p>
      <h2>Block time</h2><canvas class="chart" id="chart-blocktime"></canvas>
      <h2>Difficulty</h2><canvas class="chart" id="chart-difficulty"></canvas>
      <h2>Estimated hashrate</h2><canvas class="chart" id="chart-hashrate"></canvas></section>`;
    await drawCharts(app, ctx);
  },
  refresh: drawCharts,
};

const notFound = {
  async render(app) {
    app.innerHTML = `<section class="card error"><h1>Not found</h1><p>No page at ${e(location.pathname)}.</p></section>`;
  },
};

export const pages = { home, blocks, transactions, block, tx, address, mempool, richlist, charts, notFound };
