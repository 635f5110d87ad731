// Sixteen nodes in one process on 127.0.0.1 (one validator, fifteen verifiers seeded with it): every
// verifier follows the validator. The verifiers lift the per-IP cap, so each has fifteen peers: most
// atoms a verifier needs (trie nodes, which nobody advertises) are then not held by the peer
// closest to their id, and fetching must start at the peer that served the block. The validator
// keeps the default cap (8 per IP): the verifiers it gives no route slot wait, and still get its
// head pings.
import { generateKeyPair, type Node } from "astreum";
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, makeNode, seedOf } from "./node-helpers.js";
import { waitFor } from "./relay-helpers.js";

afterAll(closeAll);

describe("a network of sixteen nodes", () => {
  it("every verifier adopts the validator's head", async () => {
    const validator = makeNode();
    await validator.validate(generateKeyPair().secretKey);
    const verifiers: Node[] = [];
    for (let i = 0; i < 15; i++) {
      // the seed's fetch settings: one request every 0.25 s, 8 in all (fewer than the peers)
      const v = makeNode({
        additional_seeds: [seedOf(validator)],
        maxPeersPerIp: 0,
        atom_fetch_interval: 0.25,
        atom_fetch_retries: 8,
      });
      await v.verify();
      verifiers.push(v);
    }
    await waitFor(
      "every verifier at the validator's height 2 or above",
      () => verifiers.every((v) => (v.latestBlock?.height ?? -1) >= 2),
      60_000,
    );
    expect(validator.relay.peers.size).toBe(8); // the per-IP cap
    expect([...validator.relay.provenPeers()].length).toBe(15);
    // more peers than fetch retries (8): the situation the fetch order is for
    expect(verifiers.some((v) => v.relay.peers.size > 8)).toBe(true);
    expect(verifiers.every((v) => v.rejectedBlocks.size === 0)).toBe(true);
  }, 90_000);
});
