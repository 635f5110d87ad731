// The simnet report: pure functions from recorded runs to figures, a model, plots and a summary.

export { chainEndingAt, type FinalTip, finalBestChain, finalTip } from "./best-chain.js";
export { type IntervalReport, intervalReport } from "./block-interval.js";
export { type BoundedPair, type BoundReport, boundedPairs, boundReport } from "./bound.js";
export { type EclipseReport, eclipseReport } from "./eclipse.js";
export { type HeadLagPoint, headLagSeries } from "./head-lag.js";
export { type HealReport, healReports } from "./heal-time.js";
export { type BanReport, banReport } from "./honest-bans.js";
export { renderMarkdown } from "./markdown.js";
export {
  type LinkModel,
  type MeasuredRun,
  MODEL_ASSUMPTIONS,
  type ModelCheck,
  type ModelReport,
  type PropagationPrediction,
  predictPropagation,
  propagationModel,
} from "./model.js";
export { fitPerHopCost, type HopObservation, type PerHopFit } from "./per-hop-fit.js";
export { type Distribution, distribution, percentile } from "./percentiles.js";
export {
  type PropagationPair,
  type PropagationReport,
  propagationPairs,
  propagationReport,
} from "./propagation.js";
export { readRunRecord } from "./read-run-record.js";
export { type ResourceReport, resourceReport } from "./resources.js";
export { honestNodeIds, type RunRecord } from "./run-record.js";
export { type StaleReport, staleReport } from "./stale-rate.js";
export { GOALS, type Goal, type GoalStatus, type RunSummary, type Summary, summarize } from "./summary.js";
export { type TopologyReport, topologyReport } from "./topology.js";
export { assertRunRecord, InvalidRunRecordError } from "./validate-run-record.js";
export { writeReport } from "./write-report.js";
