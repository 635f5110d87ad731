export { clientAddress, proxyMatcher } from "./client-address.js";
export {
  CONFIG_KEYS,
  CONFIG_SPECS,
  type ConfigKey,
  type ConfigSources,
  type DnsConfig,
  defaultConfig,
  envName,
  parseConfigFile,
  readConfigFile,
  resolveConfig,
} from "./config.js";
export { ConfigError, DnsError, type DnsErrorCode } from "./errors.js";
export {
  createHandshakeProbe,
  MAX_HANDSHAKE_FRAME,
  MAX_PROBE_BYTES,
  MAX_PROBE_FRAMES,
  networkMismatch,
  PROBE_SOFTWARE_VERSION,
} from "./handshake-probe.js";
export {
  formatEndpoint,
  inCidr,
  isLoopback,
  isPublicIp,
  isUnspecified,
  normalizeIp,
  parseEndpoint,
  subnetOf,
} from "./ip.js";
export { createLogger, LOG_LEVELS, type Logger, type LogLevel, silentLogger } from "./logger.js";
export { describeNetwork, type ExpectedNetwork, expectedNetwork } from "./network.js";
export type { NodeInfo } from "./node-info.js";
export type { ProbeFailure, ProbeFn, ProbeResult } from "./probe.js";
export { RateLimiter } from "./rate-limit.js";
export { parseRegisterBody, type RegisterRequest, type RegisterResponse } from "./register.js";
export { Registry, type Stats } from "./registry.js";
export {
  type Candidate,
  cappedHeight,
  HEIGHT_MARGIN_ABOVE_MEDIAN,
  HEIGHT_WEIGHT,
  heightReference,
  LATENCY_WEIGHT,
  type RankedCandidate,
  type RankOptions,
  rankCandidates,
  serverScore,
  UPTIME_CAP_HOURS,
  UPTIME_WEIGHT,
} from "./scoring.js";
export {
  createDnsServer,
  DEFAULT_LIST_LIMIT,
  type DnsServer,
  type DnsServerOptions,
  type ListenInfo,
  MAX_LIST_LIMIT,
} from "./server.js";
