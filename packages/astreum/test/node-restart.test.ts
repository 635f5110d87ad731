// What a node keeps across restarts (node-state.json in its state directory: relay key, latest
// verified head, known peers), connect() waiting for the head it starts from, and verifiers joining
// an idle chain. Real nodes on loopback, real files.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ConfigError,
  generateKeyPair,
  type HeadSource,
  NODE_STATE_FILE,
  Node,
  type SavedNodeState,
} from "astreum";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import { closeAll, makeNode, seedOf, testConfig } from "./node-helpers.js";
import { removeTempDirs, tempDir, waitFor } from "./relay-helpers.js";

afterEach(closeAll);
afterAll(removeTempDirs);

function readState(dir: string): SavedNodeState {
  return JSON.parse(readFileSync(join(dir, NODE_STATE_FILE), "utf8")) as SavedNodeState;
}

describe("state across restarts", () => {
  it("a generated relay key is written into the config, so a library user can keep it", () => {
    const node = makeNode();
    expect(node.config.relay_secret_key).toMatch(/^[0-9a-f]{64}$/);
    expect(hex(node.relay.keys.secretKey)).toBe(node.config.relay_secret_key);
  });

  it("a restarted validator keeps its key and head, reaches its old peers and is followed again", async () => {
    const dir = tempDir("restart");
    const key = generateKeyPair();
    const v = makeNode({ cold_storage_path: dir, cold_storage_scale: "KB" });
    await v.validate(key.secretKey);
    const f = makeNode({ additional_seeds: [seedOf(v)] });
    await f.verify();
    await waitFor("verifier follows height 2", () => (f.latestBlock?.height ?? -1) >= 2, 30_000);
    const relayKey = v.config.relay_public_key;
    await v.close();
    const saved = readState(dir);
    const stopped = { hash: saved.latest_block_hash, relayKey };
    expect(saved.relay_secret_key).toBe(v.config.relay_secret_key);
    expect(saved.peers).toContain(seedOf(f));
    expect(saved.chain_id).toBe(0);

    // Back on another port, with no seed: only the saved peer list leads it to the verifier.
    const heads: [number, HeadSource][] = [];
    const again = new Node(testConfig({ cold_storage_path: dir, cold_storage_scale: "KB" }));
    again.on("head", (_h, b, how) => heads.push([b.height, how]));
    await again.connect();
    // connect() resolved with the saved head loaded (from the cold tier here)
    expect(again.latestBlockHash && `0x${hex(again.latestBlockHash)}`).toBe(stopped.hash);
    expect(heads[0]?.[1]).toBe("restored");
    expect(again.config.relay_public_key).toBe(stopped.relayKey);
    const restartHeight = again.latestBlock!.height;
    await again.validate(key.secretKey);
    expect(heads.some(([, how]) => how === "genesis")).toBe(false);
    await waitFor(
      "the verifier follows the restarted validator",
      () => (f.latestBlock?.height ?? -1) > restartHeight,
      30_000,
    );
    expect(f.relay.getPeer(again.relay.publicKey)?.address.port).toBe(again.config.incoming_port);
    await again.close();
  });

  it("stateDirectory null keeps nothing; an unreadable state file is a config error naming stateDirectory", async () => {
    const dir = tempDir("nostate");
    const n = makeNode({ cold_storage_path: dir, stateDirectory: null });
    await n.connect();
    await n.close();
    expect(() => readFileSync(join(dir, NODE_STATE_FILE))).toThrow(/ENOENT/);
    writeFileSync(join(dir, NODE_STATE_FILE), "{ not json");
    let err: unknown;
    try {
      new Node(testConfig({ stateDirectory: dir }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe("stateDirectory");
    expect(readFileSync(join(dir, NODE_STATE_FILE), "utf8")).toBe("{ not json"); // untouched
  });
});

describe("starting heads and idle chains", () => {
  it("connect() resolves once a configured head is loaded from a peer; latestBlock is null without one", async () => {
    const v = makeNode();
    await v.validate(generateKeyPair().secretKey);
    const none = makeNode();
    await none.connect();
    expect(none.latestBlock).toBeNull();
    const c = makeNode({ additional_seeds: [seedOf(v)], latest_block_hash: hex(v.latestBlockHash!) });
    await c.connect();
    expect(c.latestBlock).not.toBeNull();
    expect(hex(c.latestBlockHash!)).toBe(hex(v.latestBlockHash!));
  });

  it("a verifier joining a chain whose head is older than the staleness bound still adopts it", async () => {
    const v = makeNode();
    await v.validate(generateKeyPair().secretKey);
    await waitFor("a block", () => (v.latestBlock?.height ?? 0) >= 1, 30_000);
    // With a bound of 0 s every head is older than the wall clock allows: only comparing heads
    // with each other lets the newcomer adopt one.
    const late = makeNode({ additional_seeds: [seedOf(v)], verification_max_stale_seconds: 0 });
    await late.verify();
    await waitFor("adopted", () => late.latestBlock !== null, 30_000);
    expect(late.latestBlock!.height).toBeGreaterThanOrEqual(1);
  });
});
