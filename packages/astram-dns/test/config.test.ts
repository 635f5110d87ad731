import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  createDnsServer,
  defaultConfig,
  envName,
  parseConfigFile,
  readConfigFile,
  resolveConfig,
} from "../src/index.js";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("has the documented defaults", () => {
    expect(defaultConfig()).toEqual({
      host: "0.0.0.0",
      port: 8053,
      maxAge: 3600,
      healthInterval: 600,
      healthFailures: 2,
      probeTimeout: 3,
      allowPrivate: false,
      trustProxy: [],
      registerRate: 10,
      requestRate: 600,
      bodyLimit: 4096,
      maxNodes: 10000,
      maxNodesPerIp: 2,
      maxNodesPerSubnet: 4,
      network: "mainnet",
      networkId: "",
      chainId: 0,
      logLevel: "info",
    });
    expect(envName("maxNodesPerIp")).toBe("ASTRAM_DNS_MAX_NODES_PER_IP");
  });

  it("applies defaults < file < environment < flags", () => {
    const file = { port: 1000, maxAge: 10, logLevel: "warn" as const, allowPrivate: true };
    const env = { ASTRAM_DNS_PORT: "2000", ASTRAM_DNS_MAX_AGE: "20", OTHER: "x" };
    const flags = { port: "3000" };
    const c = resolveConfig({ file, env, flags });
    expect(c.port).toBe(3000);
    expect(c.maxAge).toBe(20);
    expect(c.logLevel).toBe("warn");
    expect(c.allowPrivate).toBe(true);
    expect(c.host).toBe("0.0.0.0");
    expect(resolveConfig({ file, env: { ASTRAM_DNS_ALLOW_PRIVATE: "no" } }).allowPrivate).toBe(false);
    expect(resolveConfig({ file, flags: { allowPrivate: false } }).allowPrivate).toBe(false);
    // An empty environment variable counts as unset.
    expect(resolveConfig({ file, env: { ASTRAM_DNS_PORT: "" } }).port).toBe(1000);
  });

  it("parses lists, fractions and booleans", () => {
    const c = resolveConfig({
      env: { ASTRAM_DNS_TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,loopback", ASTRAM_DNS_HEALTH_INTERVAL: "0.5" },
      flags: { allowPrivate: true },
    });
    expect(c.trustProxy).toEqual(["127.0.0.1", "10.0.0.0/8", "loopback"]);
    expect(c.healthInterval).toBe(0.5);
    expect(c.allowPrivate).toBe(true);
  });

  it.each([
    [{ env: { ASTRAM_DNS_MAX_AGE: "abc" } }, "max-age", "ASTRAM_DNS_MAX_AGE", "seconds > 0"],
    [{ flags: { port: "65536" } }, "port", "--port", "0 to 65535"],
    [{ flags: { port: "-1" } }, "port", "--port", "0 to 65535"],
    [{ flags: { maxAge: "0" } }, "max-age", "--max-age", "seconds > 0"],
    [
      { env: { ASTRAM_DNS_ALLOW_PRIVATE: "maybe" } },
      "allow-private",
      "ASTRAM_DNS_ALLOW_PRIVATE",
      "true or false",
    ],
    [
      { flags: { logLevel: "loud" } },
      "log-level",
      "--log-level",
      "fatal, error, warn, info, debug, trace, silent",
    ],
    [{ file: { trustProxy: ["300.1.1.1"] } }, "trust-proxy", "config file", "CIDR"],
    [{ flags: { bodyLimit: "1e9" } }, "body-limit", "--body-limit", "64 to 1048576"],
    [{ flags: { host: "a b" } }, "host", "--host", "IP address or host name"],
  ])("rejects %j naming the key and accepted values", (sources, key, source, accepted) => {
    const err = configError(() => resolveConfig(sources as never));
    expect(err.code).toBe("INVALID_CONFIG");
    expect(err.key).toBe(key);
    expect(err.message).toContain(key);
    expect(err.message).toContain(source);
    expect(err.message).toContain(accepted);
  });

  it("reads a JSON config file and rejects unknown keys, bad JSON and bad values", () => {
    const dir = mkdtempSync(join(tmpdir(), "astram-dns-config-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ port: 9000, trustProxy: ["127.0.0.1"] }));
    expect(readConfigFile(good)).toEqual({ port: 9000, trustProxy: ["127.0.0.1"] });
    expect(configError(() => parseConfigFile('{"prot": 1}', "x.json")).message).toMatch(
      /unknown key "prot".*port/,
    );
    expect(configError(() => parseConfigFile("{", "x.json")).message).toContain("not valid JSON");
    expect(configError(() => parseConfigFile("[]", "x.json")).message).toContain("JSON object");
    expect(configError(() => parseConfigFile('{"port": "x"}', "x.json")).key).toBe("port");
    expect(configError(() => readConfigFile(join(dir, "missing.json"))).message).toContain("ENOENT");
  });

  it("validates programmatic options of createDnsServer", () => {
    expect(configError(() => createDnsServer({ port: 70000 })).key).toBe("port");
  });
});
