// The node configuration (facts §7): every key of the seed's tables with its default, type check
// and derivation; errors name the key; hex accepted with or without 0x; the same object comes back.

import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_DEFAULTS, ConfigError, type NodeConfig, publicKeyOf, resolveConfig } from "astreum";
import { afterAll, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function errorKey(config: Record<string, unknown>): string {
  try {
    resolveConfig(config as NodeConfig);
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.message).toContain(err.key);
      return err.key;
    }
    throw err;
  }
  return "accepted";
}

describe("resolveConfig", () => {
  it("fills every key of the seed's tables with its default and returns the same object", () => {
    const config = {};
    const r = resolveConfig(config);
    expect(r).toBe(config);
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS))
      expect(r[key as keyof typeof r], key).toEqual(value);
    expect(r.cold_storage_base_size).toBe(1e6);
    expect(r.validation_public_key).toBeNull();
    expect(r.relay_payment_public_key).toBeNull();
  });

  it("chain and chain_id derive each other; an unknown chain name is ignored", () => {
    expect(resolveConfig({ chain: "main" })).toMatchObject({ chain: "main", chain_id: 1 });
    expect(resolveConfig({ chain: "test" })).toMatchObject({ chain: "test", chain_id: 0 });
    expect(resolveConfig({ chain_id: 1 })).toMatchObject({ chain: "main", chain_id: 1 });
    expect(resolveConfig({ chain_id: "7" })).toMatchObject({ chain: "test", chain_id: 7 });
    expect(resolveConfig({ chain: "nope" })).toMatchObject({ chain: "test", chain_id: 0 });
    expect(resolveConfig({ chain: "nope", chain_id: 1 })).toMatchObject({ chain: "main", chain_id: 1 });
    // No cross-check when both are given (the reference's behaviour).
    expect(resolveConfig({ chain: "main", chain_id: 0 })).toMatchObject({ chain: "main", chain_id: 0 });
    expect(errorKey({ chain_id: "x" })).toBe("chain_id");
    expect(errorKey({ chain_id: true })).toBe("chain_id");
  });

  it("verify_blockchain_interval defaults to peer_timeout_interval", () => {
    expect(resolveConfig({ peer_timeout_interval: 3 }).verify_blockchain_interval).toBe(3);
    expect(
      resolveConfig({ peer_timeout_interval: 3, verify_blockchain_interval: 0.5 }).verify_blockchain_interval,
    ).toBe(0.5);
    expect(errorKey({ verify_blockchain_interval: 0 })).toBe("verify_blockchain_interval");
  });

  it("cold storage: scale trimmed and upper-cased, base size derived, the directory created", () => {
    const parent = mkdtempSync(join(tmpdir(), "astreum-config-"));
    dirs.push(parent);
    const r = resolveConfig({ cold_storage_scale: " kb ", cold_storage_path: join(parent, "a", "b") });
    expect(r.cold_storage_scale).toBe("KB");
    expect(r.cold_storage_base_size).toBe(1000);
    expect(resolveConfig({ cold_storage_scale: "GB" }).cold_storage_base_size).toBe(1e9);
    expect(errorKey({ cold_storage_scale: "TB" })).toBe("cold_storage_scale");
    expect(errorKey({ cold_storage_scale: 5 })).toBe("cold_storage_scale");
    // A path that cannot be created disables cold storage with a warning.
    const file = join(parent, "file");
    writeFileSync(file, "x");
    const warnings: string[] = [];
    expect(
      resolveConfig({ cold_storage_path: join(file, "sub") }, (w) => warnings.push(w)).cold_storage_path,
    ).toBeNull();
    expect(warnings[0]).toMatch(/cold storage disabled/);
    expect(resolveConfig({ cold_storage_path: "" }).cold_storage_path).toBeNull();
  });

  it("legacy and alias keys: hot_storage_default_limit, logging_retention, retention_days", () => {
    expect(resolveConfig({ hot_storage_default_limit: 5 } as NodeConfig).hot_storage_limit).toBe(5);
    expect(resolveConfig({ logging_retention: 3 } as NodeConfig).logging_retention_days).toBe(3);
    expect(resolveConfig({ retention_days: "4" } as NodeConfig).logging_retention_days).toBe(4);
    expect(errorKey({ retention_days: "x" })).toBe("retention_days");
    expect(errorKey({ default_seeds: ["a:1"] })).toBe("default_seeds");
  });

  it("numbers: numeric strings accepted, booleans and fractions of integers refused, bounds checked", () => {
    expect(resolveConfig({ incoming_port: "0" }).incoming_port).toBe(0);
    expect(resolveConfig({ fair_use_ratio: "0.25" }).fair_use_ratio).toBe(0.25);
    const intKeys = [
      "hot_storage_limit",
      "cold_storage_limit",
      "atom_fetch_retries",
      "incoming_port",
      "storage_request_minimum_price",
      "fair_use_limit",
      "incoming_queue_size_limit",
      "logging_retention_days",
      "verification_max_stale_seconds",
      "verification_max_future_skew",
    ];
    for (const key of intKeys) {
      expect(errorKey({ [key]: 1.5 }), key).toBe(key);
      expect(errorKey({ [key]: false }), key).toBe(key);
      expect(errorKey({ [key]: "abc" }), key).toBe(key);
    }
    const positive = [
      "peer_timeout",
      "peer_timeout_interval",
      "bootstrap_retry_interval",
      "storage_index_interval",
      "storage_request_price_interval",
    ];
    for (const key of positive) expect(errorKey({ [key]: 0 }), key).toBe(key);
    for (const key of [
      "atom_fetch_interval",
      "fair_use_ratio",
      "incoming_queue_timeout",
      "incoming_queue_size_limit",
    ])
      expect(errorKey({ [key]: -1 }), key).toBe(key);
    expect(errorKey({ incoming_port: 70000 })).toBe("incoming_port");
    // A negative age window disables that check (facts §4.13).
    expect(resolveConfig({ verification_max_stale_seconds: -1 }).verification_max_stale_seconds).toBe(-1);
  });

  it("booleans: logging_enabled must be a boolean; verbose and use_ipv6 follow Python truthiness", () => {
    expect(errorKey({ logging_enabled: "yes" })).toBe("logging_enabled");
    expect(resolveConfig({ logging_enabled: false }).logging_enabled).toBe(false);
    expect(resolveConfig({ verbose: 1 }).verbose).toBe(true);
    expect(resolveConfig({ verbose: "" }).verbose).toBe(false);
    expect(resolveConfig({ verbose: [] }).verbose).toBe(false);
    expect(resolveConfig({ use_ipv6: "true" }).use_ipv6).toBe(true);
    expect(resolveConfig({ use_ipv6: 0 }).use_ipv6).toBe(false);
  });

  it("hex keys with or without 0x; Ed25519 secret keys derive their public keys; KeyObjects accepted", () => {
    const secret = "11".repeat(32);
    const pub = hex(publicKeyOf(secret));
    for (const form of [secret, `0x${secret}`, `  ${secret.toUpperCase()}  `]) {
      const r = resolveConfig({
        validation_secret_key: form,
        relay_payment_secret_key: form,
        relay_secret_key: form,
      });
      expect(r.validation_secret_key).toBe(secret);
      expect(r.validation_public_key).toBe(pub);
      expect(hex(r.validation_public_key_bytes!)).toBe(pub);
      expect(r.relay_payment_public_key).toBe(pub);
      expect(r.relay_secret_key).toBe(secret);
    }
    const { privateKey } = generateKeyPairSync("ed25519");
    const r = resolveConfig({ validation_secret_key: privateKey });
    expect(r.validation_public_key).toBe(hex(publicKeyOf(privateKey)));
    expect(resolveConfig({ validation_secret_key: "" }).validation_secret_key).toBeNull();
    for (const key of ["relay_secret_key", "relay_payment_secret_key", "validation_secret_key"]) {
      expect(errorKey({ [key]: "abcd" }), key).toBe(key);
      expect(errorKey({ [key]: "zz".repeat(32) }), key).toBe(key);
      expect(errorKey({ [key]: 5 }), key).toBe(key);
    }
  });

  it("latest_block_hash and verified_up_to: 32-byte hex, 0x optional, stored with 0x", () => {
    const h = "ab".repeat(32);
    expect(resolveConfig({ latest_block_hash: h }).latest_block_hash).toBe(`0x${h}`);
    expect(resolveConfig({ verified_up_to: `0X${h}` }).verified_up_to).toBe(`0x${h}`);
    expect(resolveConfig({ verified_up_to: "" }).verified_up_to).toBeNull();
    expect(errorKey({ latest_block_hash: "0xabcd" })).toBe("latest_block_hash");
    expect(errorKey({ verified_up_to: 12 })).toBe("verified_up_to");
  });

  it("seeds: default_seed a string or null, additional_seeds a list of strings (copied)", () => {
    expect(resolveConfig({ default_seed: null }).default_seed).toBeNull();
    expect(resolveConfig({ default_seed: "example.org:1" }).default_seed).toBe("example.org:1");
    expect(errorKey({ default_seed: 5 })).toBe("default_seed");
    const seeds = ["127.0.0.1:7374"];
    const r = resolveConfig({ additional_seeds: seeds });
    expect(r.additional_seeds).toEqual(seeds);
    expect(r.additional_seeds).not.toBe(seeds);
    expect(errorKey({ additional_seeds: "127.0.0.1:1" })).toBe("additional_seeds");
    expect(errorKey({ additional_seeds: [1] })).toBe("additional_seeds");
    // malformed entries are errors naming the key and the entry, not warnings at bootstrap
    expect(errorKey({ additional_seeds: ["127.0.0.1:1", "127.0.0.1"] })).toBe("additional_seeds");
    expect(() => resolveConfig({ additional_seeds: ["a:1", "[::1]80"] })).toThrow(/entry 1 "\[::1\]80"/);
    expect(errorKey({ default_seed: "no-port" })).toBe("default_seed");
    expect(errorKey({ default_seed: "host:0" })).toBe("default_seed");
  });

  it("unknown keys are errors naming the key, with the key most likely meant", () => {
    expect(errorKey({ bogus_key: 1 })).toBe("bogus_key");
    expect(() => resolveConfig({ peer_timout: 5 } as NodeConfig)).toThrow(/did you mean peer_timeout\?/);
    expect(() => resolveConfig({ bind_address: "::" } as NodeConfig)).toThrow(/did you mean bindAddress\?/);
    expect(() => resolveConfig({ coldStoragePath: "/x" } as NodeConfig)).toThrow(
      /did you mean cold_storage_path\?/,
    );
    // a key given as undefined is absent; legacy aliases and derived entries are accepted
    expect(errorKey({ bogus_key: undefined })).toBe("accepted");
    expect(errorKey({ hot_storage_default_limit: 5, retention_days: 3 })).toBe("accepted");
    const resolved = resolveConfig({ validation_secret_key: "11".repeat(32) });
    expect(errorKey({ ...resolved })).toBe("accepted");
  });

  it("TypeScript-only keys: stateDirectory defaults to cold_storage_path (null keeps nothing), peer caps", () => {
    const dir = mkdtempSync(join(tmpdir(), "astreum-config-state-"));
    dirs.push(dir);
    expect(resolveConfig({}).stateDirectory).toBeNull();
    expect(resolveConfig({ cold_storage_path: dir }).stateDirectory).toBe(dir);
    expect(resolveConfig({ cold_storage_path: dir, stateDirectory: null }).stateDirectory).toBeNull();
    expect(resolveConfig({ stateDirectory: "/elsewhere" }).stateDirectory).toBe("/elsewhere");
    expect(errorKey({ stateDirectory: 5 } as never)).toBe("stateDirectory");
    expect(resolveConfig({})).toMatchObject({ maxPeersPerIp: 8, maxPeersPerSubnet: 32 });
    expect(resolveConfig({ maxPeersPerIp: "0" }).maxPeersPerIp).toBe(0);
    expect(errorKey({ maxPeersPerSubnet: -1 })).toBe("maxPeersPerSubnet");
  });
});
