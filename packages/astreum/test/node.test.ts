// The Node API (spec "Public API", facts §4.12, §4.15, §8): the reference's test_node_init and
// test_node_validation, sendTransaction's errors, idempotent connect/verify/validate/close, a
// validator's own transactions, restarting from cold storage with latest_block_hash, queries.
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BytesExpr,
  createTransaction,
  Env,
  generateKeyPair,
  getAtomListFromStorage,
  hashListToExpr,
  LatestBlockUnavailableError,
  Machine,
  Node,
  NodeClosedError,
  NodeNotConnectedError,
  NoValidatorAvailableError,
  PayloadType,
  parse,
  printExpr,
  ReceiptStatus,
  sendTransaction,
  tokenize,
  UnsignedTransactionError,
} from "astreum";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hex } from "./helpers.js";
import { closeAll, makeNode, nextTransfer } from "./node-helpers.js";
import { waitFor } from "./relay-helpers.js";

const dirs: string[] = [];
afterEach(closeAll);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("tests.node.test_node_init", () => {
  it("Node({}) keeps the config object, chain_id 0, logging on; connect() works with the defaults", async () => {
    const state = mkdtempSync(join(tmpdir(), "astreum-node-init-"));
    dirs.push(state);
    const saved = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = state;
    const config = {};
    const node = new Node(config);
    try {
      expect(node.config).toBe(config);
      expect(node.config.chain_id).toBe(0);
      expect(node.config.logging_enabled).toBe(true);
      expect(node.isConnected).toBe(false);
      expect(node.latestBlockHash).toBeNull();
      expect(node.latestBlock).toBeNull();
      await node.connect();
      expect(node.isConnected).toBe(true);
      expect(node.config.incoming_port).toBe(52780);
      expect(node.config.relay_public_key).toMatch(/^[0-9a-f]{64}$/);
      expect(hex(node.config.relay_public_key_bytes!)).toBe(node.config.relay_public_key);
    } finally {
      await node.close();
      if (saved === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved;
    }
    // The sockets are closed: the port binds again.
    const s = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.bind(52780, "0.0.0.0", () => resolve());
    });
    s.close();
  });
});

describe("tests.node.test_node_validation", () => {
  it("connect() then validate(new key): latest block set (genesis), then the node produces blocks", async () => {
    const node = makeNode();
    await node.connect();
    const { secretKey, publicKey } = generateKeyPair();
    await node.validate(secretKey);
    expect(node.latestBlockHash).not.toBeNull();
    expect(node.latestBlock!.height).toBe(0);
    expect(hex(node.latestBlock!.validatorPublicKey!)).toBe(hex(publicKey));
    expect(node.config.validation_public_key).toBe(hex(publicKey));
    expect(node.isValidating).toBe(true);
    expect(node.isVerifying).toBe(true); // no default seed: it verifies too
    expect(node.relay.isValidator).toBe(true);
    const genesis = node.latestBlockHash!;
    await waitFor("a new head", () => node.latestBlock!.height >= 1, 20_000);
    expect(hex(node.latestBlock!.previousBlockHash)).toBe(hex(genesis));
    expect(node.latestBlock!.verifySignature()).toBe(true);
    expect((await node.getAccount(publicKey))!.balance).toBeGreaterThanOrEqual(1n);
    // The head is announced in pings and the produced atoms are advertised.
    expect(hex(node.relay.latestBlockHash!)).toBe(hex(node.latestBlockHash!));
    expect(node.atomAdvertisements.some((a) => hex(a.atomId) === hex(node.latestBlockHash!))).toBe(true);
  });
});

describe("sendTransaction(node, tx)", () => {
  const signed = () => {
    const k = generateKeyPair();
    return createTransaction({
      chainId: 0,
      amount: 1,
      counter: 1,
      recipient: generateKeyPair().publicKey,
      sender: k.publicKey,
    }).sign(k.secretKey);
  };

  it("raises the seed's RuntimeError equivalents: not connected, no latest block, no validator, unsigned", async () => {
    const node = makeNode({ peer_timeout_interval: 0.2 });
    const e1 = await sendTransaction(node, signed()).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(NodeNotConnectedError);
    expect((e1 as Error).message).toBe("node not connected");
    await node.connect();
    const e2 = await sendTransaction(node, signed()).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(LatestBlockUnavailableError);
    expect((e2 as Error).message).toBe("latest block unavailable");
    // A node with a head (configured and stored) but no validator known.
    const v = makeNode();
    await v.validate(generateKeyPair().secretKey);
    const head = v.latestBlock!;
    const client = makeNode({ peer_timeout_interval: 0.2, latest_block_hash: hex(v.latestBlockHash!) });
    await client.store.start();
    await client.storeAtoms(head.atoms());
    await client.connect(); // resolves with the configured head loaded
    expect(client.latestBlock).not.toBeNull();
    const e3 = await sendTransaction(client, signed()).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(NoValidatorAvailableError);
    expect((e3 as Error).message).toBe("no validator available");
    const unsigned = createTransaction({
      chainId: 0,
      amount: 1,
      counter: 1,
      recipient: new Uint8Array(32),
      sender: new Uint8Array(32),
    });
    await expect(sendTransaction(client, unsigned)).rejects.toThrow(UnsignedTransactionError);
  });

  it("on a validating node the transaction joins its own queue and the next block", async () => {
    const node = makeNode();
    const k = generateKeyPair();
    await node.validate(k.secretKey);
    const { tx, recipient } = await nextTransfer(node, k);
    const hash = await sendTransaction(node, tx);
    expect(hex(hash)).toBe(hex(tx.hash()));
    const ads = node.atomAdvertisements.filter(
      (a) => hex(a.atomId) === hex(hash) || hex(a.atomId) === hex(tx.bodyHash()),
    );
    expect(ads.map((a) => a.payloadType)).toEqual([PayloadType.LIST, PayloadType.LIST]);
    const found = await waitFor("inclusion", () => node.getTransactionReceipt(hash), 20_000);
    expect(found.receipt.status).toBe(ReceiptStatus.SUCCESS);
    expect(found.index).toBe(0);
    expect((await node.getAccount(recipient))!.balance).toBe(1n);
    expect((await node.getAccount(k.publicKey))!.counter).toBe(1n);
  });
});

describe("lifecycle", () => {
  it("connect, verify and validate are idempotent, also when called concurrently; close too", async () => {
    const node = makeNode();
    await Promise.all([node.connect(), node.connect(), node.verify(), node.verify()]);
    const port = node.config.incoming_port;
    await node.verify();
    expect(node.config.incoming_port).toBe(port);
    const { secretKey } = generateKeyPair();
    await Promise.all([node.validate(secretKey), node.validate(secretKey)]);
    const genesis = hex(node.latestBlockHash!);
    await node.validate(secretKey);
    expect(hex(node.latestBlockHash!)).toBe(genesis);
    expect(node.consensusStats.verification).not.toBeNull();
    await node.close();
    await node.close();
    expect(node.isConnected).toBe(false);
    expect(node.isValidating).toBe(false);
    await expect(node.connect()).rejects.toThrow(NodeClosedError);
  });

  it("restarts from cold storage with latest_block_hash and continues the chain (no new genesis)", async () => {
    const cold = mkdtempSync(join(tmpdir(), "astreum-node-cold-"));
    dirs.push(cold);
    const k = generateKeyPair();
    const first = makeNode({ cold_storage_path: cold });
    await first.validate(k.secretKey);
    await waitFor("block 1", () => first.latestBlock!.height >= 1, 20_000);
    const head = first.latestBlockHash!;
    const height = first.latestBlock!.height;
    await first.close();
    const second = makeNode({ cold_storage_path: cold, latest_block_hash: `0x${hex(head)}` });
    await second.connect();
    await waitFor("configured head", () => second.latestBlockHash !== null);
    expect(hex(second.latestBlockHash!)).toBe(hex(head));
    await second.validate(k.secretKey);
    await waitFor("next block", () => second.latestBlock!.height > height, 20_000);
    expect(second.latestBlock!.height).toBe(height + 1);
    expect(hex(second.latestBlock!.previousBlockHash)).toBe(hex(head));
  });
});

describe("validation keys and trust", () => {
  it("validate() without an argument uses validation_secret_key; without any key it is a ConfigError", async () => {
    const k = generateKeyPair();
    const node = makeNode({ validation_secret_key: hex(k.secretKey) });
    expect(node.config.validation_public_key).toBe(hex(k.publicKey));
    expect(hex(node.relay.validationPublicKey!)).toBe(hex(k.publicKey));
    expect(node.relay.isValidator).toBe(false); // the key alone joins the route; validate() produces
    await node.validate();
    expect(hex(node.latestBlock!.validatorPublicKey!)).toBe(hex(k.publicKey));
    await expect(makeNode().validate()).rejects.toThrow(/validation_secret_key/);
  });

  it("with a default seed configured the node trusts the seed's head (no re-execution)", async () => {
    const v = makeNode();
    await v.validate(generateKeyPair().secretKey);
    const client = makeNode({ default_seed: `127.0.0.1:${v.config.incoming_port}` });
    const how: string[] = [];
    client.on("head", (_h, _b, h) => how.push(h));
    await client.verify();
    await waitFor("trusted head", () => client.latestBlock !== null);
    expect(how[0]).toBe("trusted");
    expect(client.consensusStats.verification!.verified).toBe(0);
  });
});

describe("storage API on the node", () => {
  it("advertisements, get_atom_list_from_storage, and Machine(node)", async () => {
    const node = makeNode();
    await node.connect();
    const items = [BytesExpr.fromInt(1), BytesExpr.fromInt(2)];
    for (const i of items) await node.storeAtoms([i]);
    const list = hashListToExpr(items.map((i) => i.hash()));
    await node.store.put(list);
    node.addAtomAdvertisement(list.hash(), PayloadType.LIST, null);
    node.addAtomAdvertisements([[items[0]!.hash(), PayloadType.ATOM, Date.now() / 1000 + 60]]);
    expect(node.atomAdvertisements.length).toBe(2);
    expect((await getAtomListFromStorage(node, list.hash()))!.map(printExpr)).toEqual(["1", "2"]);
    expect((await node.getAtomListFromStorage(list.hash()))!.length).toBe(2);
    const machine = new Machine(node, { meterEnabled: true, meterLimit: 1000, allowThreading: false });
    const [expr] = parse(tokenize("(1 2 +)"));
    expect(machine.run(expr!, new Env()).map(printExpr)).toEqual(["3"]);
  });
});
