import type { Distribution } from "./percentiles.js";
import type { RunSummary, Summary } from "./summary.js";

const NONE = "—";
const ms = (value: number | null | undefined) =>
  value == null || Number.isNaN(value) ? NONE : `${Math.round(value)}`;
const num = (value: number | null | undefined, digits = 2) =>
  value == null || Number.isNaN(value) ? NONE : value.toFixed(digits);
const percent = (value: number | null | undefined) => (value == null ? NONE : `${(value * 100).toFixed(1)}%`);
const seconds = (valueMs: number | null | undefined) =>
  valueMs == null ? NONE : `${(valueMs / 1000).toFixed(1)} s`;

/** A Markdown table; cells are escaped so a "|" in a reason cannot break the layout. */
function table(header: string[], rows: string[][]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const distributionCells = (d: Distribution | null) => [d?.count ?? 0, d?.p50, d?.p90, d?.p99, d?.max];

function goalsSection(runs: RunSummary[]): string {
  const rows = runs.flatMap((run) =>
    run.goals.map((goal) => [run.label, goal.name, goal.target, goal.measured, goal.status]),
  );
  return `## Goals\n\n${table(["run", "goal", "target", "measured", "status"], rows)}`;
}

function runsSection(runs: RunSummary[]): string {
  const rows = runs.map((run) => [
    run.label,
    run.scenario,
    `${run.seed}`,
    `${run.nodes.honest}/${run.nodes.total}`,
    `${run.nodes.miners}`,
    `${run.nodes.attackers}`,
    `${run.config.latencyMs} ± ${run.config.jitterMs} ms`,
    percent(run.config.lossRate),
    run.config.bandwidthBytesPerSec === null ? "unlimited" : `${run.config.bandwidthBytesPerSec} B/s`,
    seconds(run.endedAt - run.startedAt),
  ]);
  const header = [
    "run",
    "scenario",
    "seed",
    "honest/all nodes",
    "miners",
    "attackers",
    "link latency",
    "loss",
  ];
  return `## Runs\n\n${table([...header, "bandwidth", "wall time"], rows)}`;
}

function propagationSection(summary: Summary): string {
  const rows = summary.runs.map((run) => {
    const [count, p50, p90, p99, max] = distributionCells(run.propagation.all);
    return [
      run.label,
      `${count}`,
      ms(p50),
      ms(p90),
      ms(p99),
      ms(max),
      ms(run.bound.boundP99Ms),
      num(run.bound.p99Ratio),
    ];
  });
  const boundRows = summary.runs.map((run) => [
    run.label,
    `${run.bound.pairs}`,
    `${run.bound.unreachable}`,
    num(run.bound.hops?.mean),
    `${run.bound.hops?.max ?? NONE}`,
    num(run.bound.pairRatio?.p50),
    num(run.bound.pairRatio?.p99),
    num(run.bound.pairRatio?.max),
  ]);
  const plot = summary.plots.propagationCdf ? `\n\n![propagation CDF](${summary.plots.propagationCdf})` : "";
  return [
    "## Propagation",
    "Delay from the miner accepting a block to each honest node accepting it (ms), over every (block, honest node ≠ miner) pair. The bound of a pair is its shortest path in hops (through honest nodes, in the topology snapshot nearest before the block was mined) times the configured link latency; p99/bound is the measured p99 over the bound's p99 on the same pairs.",
    table(["run", "pairs", "p50", "p90", "p99", "max", "bound p99", "p99/bound"], rows) + plot,
    "Per pair, delay / (hops × latency):",
    table(
      ["run", "bounded pairs", "no path", "mean hops", "max hops", "ratio p50", "ratio p99", "ratio max"],
      boundRows,
    ),
  ].join("\n\n");
}

function chainSection(runs: RunSummary[]): string {
  const rows = runs.map((run) => [
    run.label,
    `${run.stale.blocks}`,
    `${run.stale.stale}`,
    percent(run.stale.rate),
    run.stale.finalTip === null
      ? NONE
      : `${run.stale.finalTip.nodes}/${run.stale.finalTip.of} at ${run.stale.finalTip.height}`,
    run.interval.meanSec === null ? NONE : `${num(run.interval.meanSec)} s`,
    `${run.interval.targetSec} s`,
    num(run.interval.ratio),
  ]);
  const header = [
    "run",
    "blocks",
    "stale",
    "stale rate",
    "final tip (nodes, height)",
    "mean interval",
    "target",
  ];
  return `## Chain\n\nStale = accepted by an honest node but not on the chain ending at the most common final honest tip. The mean interval is over that chain, from mining times; the 20% goal is for paced miners (an unpaced \`fast\` run is expected to miss it).\n\n${table([...header, "interval/target"], rows)}`;
}

function healSection(runs: RunSummary[]): string {
  const rows = runs.flatMap((run) =>
    run.heals.map((heal) => [
      run.label,
      seconds(heal.healAt - run.startedAt),
      heal.detail ?? "",
      heal.healTimeMs === null ? "never" : seconds(heal.healTimeMs),
      heal.agreedHash ?? NONE,
    ]),
  );
  if (rows.length === 0) return "## Heal after partition\n\nNo run healed a partition.";
  return `## Heal after partition\n\nTime from each heal until every honest node's latest tip sample is the same block.\n\n${table(["run", "heal at", "detail", "agreement after", "agreed tip"], rows)}`;
}

function bansSection(runs: RunSummary[]): string {
  const rows = runs.map((run) => [
    run.label,
    `${run.bans.total}`,
    `${run.bans.honest.length}`,
    `${run.bans.unattributed}`,
  ]);
  const honest = runs.flatMap((run) =>
    run.bans.honest.map((ban) => [
      run.label,
      seconds(ban.at - run.startedAt),
      ban.node,
      ban.ip,
      ban.bannedNode ?? NONE,
      ban.reason,
    ]),
  );
  const list =
    honest.length === 0
      ? "No honest node was banned."
      : `Honest nodes banned:\n\n${table(["run", "at", "by", "ip", "node", "reason"], honest)}`;
  return `## Bans\n\n${table(["run", "bans", "of honest nodes", "of unknown addresses"], rows)}\n\n${list}`;
}

function eclipseSection(runs: RunSummary[]): string {
  const rows = runs.flatMap((run) =>
    run.eclipse === null
      ? []
      : [
          [
            run.label,
            run.eclipse.victim,
            `${run.eclipse.samples}`,
            `${run.eclipse.minHonestPeers ?? NONE}`,
            run.eclipse.keptHonestPeer === null ? NONE : run.eclipse.keptHonestPeer ? "yes" : "no",
          ],
        ],
  );
  if (rows.length === 0) return "## Eclipse\n\nNo run attempted an eclipse.";
  return `## Eclipse\n\nThe victim's honest peers from the attack's start on.\n\n${table(["run", "victim", "samples", "min honest peers", "kept one"], rows)}`;
}

function resourcesSection(runs: RunSummary[]): string {
  const rows = runs.map((run) => [
    run.label,
    `${run.resources.perNode.length}`,
    num(run.resources.rssP50MiBMedian, 1),
    num(run.resources.rssP50MiBMax, 1),
    num(run.resources.rssMaxMiB, 1),
    num(run.resources.cpuMeanPercentMean, 1),
    num(run.resources.cpuMeanPercentMax, 1),
  ]);
  const header = [
    "run",
    "nodes sampled",
    "RSS p50 MiB (median node)",
    "RSS p50 MiB (largest node)",
    "RSS max MiB",
  ];
  return `## Memory and CPU per node\n\nPer-node figures are in report.json.\n\n${table([...header, "CPU % mean (mean node)", "CPU % mean (busiest node)"], rows)}`;
}

function topologySection(summary: Summary): string {
  const rows = summary.runs.map((run) => [
    run.label,
    `${run.topology.snapshots}`,
    num(run.topology.meanDegreeAtBlocks),
    num(run.topology.lastMeanDegree),
  ]);
  const plots = [
    summary.plots.degreeHistogram ? `![degree histogram](${summary.plots.degreeHistogram})` : "",
    ...summary.runs.flatMap((run) => [
      ...summary.plots.tipHeights
        .filter((plot) => plot.run === run.label)
        .map((plot) => `![tip height, ${plot.run}](${plot.file})`),
      ...summary.plots.headLags
        .filter((plot) => plot.run === run.label)
        .map((plot) => `![head lag, ${plot.run}](${plot.file})`),
    ]),
  ].filter((line) => line !== "");
  return [
    "## Topology and tips",
    "Degrees count honest peers of honest nodes (the part of the graph that relays blocks).",
    table(["run", "snapshots", "mean degree when blocks were mined", "mean degree at the end"], rows),
    ...plots,
  ].join("\n\n");
}

function modelSection(summary: Summary): string {
  const model = summary.model;
  if (model === null)
    return "## Toward internet scale: a model\n\nNo (block, node) pair with a known path: nothing to fit.";
  const checkRows = model.checks.map((check) => [
    check.run,
    `${check.nodes}`,
    num(check.meanDegree, 1),
    `${num(check.measured.meanHops)} / ${num(check.predicted.meanHops)}`,
    `${ms(check.measured.p50Ms)} / ${ms(check.predicted.p50Ms)}`,
    `${ms(check.measured.p99Ms)} / ${ms(check.predicted.p99Ms)}`,
    num(check.p50Ratio),
    num(check.p99Ratio),
  ]);
  const scaleRows = model.scale.map((prediction) => [
    `${prediction.nodes}`,
    num(prediction.meanDegree, 1),
    `${prediction.latencyMs} ± ${prediction.jitterMs} ms`,
    num(prediction.meanHops),
    ms(prediction.p50Ms),
    ms(prediction.p90Ms),
    ms(prediction.p99Ms),
    percent(prediction.unreachableShare),
  ]);
  return [
    "## Toward internet scale: a model",
    "**This section is a model, not a measurement.** It predicts propagation from a fitted per-hop cost and the hop counts of random graphs; it is checked against the runs above, and its predictions for larger networks are only as good as its assumptions.",
    `Fitted per-hop cost c = **${num(model.fit.perHopCostMs, 1)} ms** beyond the link latency (least squares over ${model.fit.pairs} pairs, RMS residual ${num(model.fit.rmsResidualMs, 1)} ms; model seed ${model.seed}).`,
    "Check against the measured runs (measured / predicted):",
    table(
      ["run", "nodes", "mean degree", "mean hops", "p50 ms", "p99 ms", "p50 ratio", "p99 ratio"],
      checkRows,
    ),
    "Predictions for larger networks (the largest run's link latency and jitter, the mean degree shown, the fitted c):",
    table(
      ["nodes", "mean degree", "link latency", "mean hops", "p50 ms", "p90 ms", "p99 ms", "unreachable"],
      scaleRows,
    ),
    "Assumptions:",
    model.assumptions.map((assumption) => `- ${assumption}`).join("\n"),
  ].join("\n\n");
}

/** The human-readable summary: every table of the report, goals marked met or not, plot links. */
export function renderMarkdown(summary: Summary): string {
  const sections = [
    "# Astram network simulator report",
    `${summary.runs.length} run(s): ${summary.runs.map((run) => run.label).join(", ")}. All figures are also in report.json.`,
    goalsSection(summary.runs),
    runsSection(summary.runs),
    propagationSection(summary),
    chainSection(summary.runs),
    healSection(summary.runs),
    bansSection(summary.runs),
    eclipseSection(summary.runs),
    resourcesSection(summary.runs),
    topologySection(summary),
    modelSection(summary),
  ];
  return `${sections.join("\n\n")}\n`;
}
