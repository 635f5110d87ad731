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
  formatEndpoint,
  inCidr,
  isLoopback,
  isPublicIp,
  isUnspecified,
  normalizeIp,
  parseEndpoint,
} from "./ip.js";
export { createLogger, LOG_LEVELS, type Logger, type LogLevel, silentLogger } from "./logger.js";
export type { NodeInfo } from "./node-info.js";
export { type ProbeFn, type ProbeResult, tcpProbe } from "./probe.js";
export { RateLimiter } from "./rate-limit.js";
export { parseRegisterBody, type RegisterRequest, type RegisterResponse } from "./register.js";
export { Registry, type Stats } from "./registry.js";
export {
  type Candidate,
  HEIGHT_WEIGHT,
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
