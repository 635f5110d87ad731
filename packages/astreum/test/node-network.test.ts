// A local network on 127.0.0.1 (spec "Consensus"): one validator and two verifiers. A transaction
// sent from a verifier is included; both verifiers adopt the validator's head; blocks with a bad
// signature or a bad transaction, announced by a hostile peer, are rejected and never adopted.
import {
  AtomStore,
  Block,
  buildBlock,
  createTransaction,
  type Ed25519KeyPair,
  generateKeyPair,
  hashListToExpr,
  idsEqual,
  type Node,
  ReceiptStatus,
  RelayNode,
  requiredWork,
  sendTransaction,
  Transaction,
} from "astreum";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldsOf } from "./consensus-helpers.js";
import { hex } from "./helpers.js";
import { closeAll, makeNode, nextTransfer, seedOf } from "./node-helpers.js";
import { waitFor } from "./relay-helpers.js";

let validator: Node;
let a: Node;
let b: Node;
let key: Ed25519KeyPair;

beforeAll(async () => {
  key = generateKeyPair();
  validator = makeNode();
  await validator.validate(key.secretKey);
  a = makeNode({ additional_seeds: [seedOf(validator)] });
  b = makeNode({ additional_seeds: [seedOf(validator)] });
  await Promise.all([a.verify(), b.verify()]);
});
afterAll(closeAll);

const sameHead = (n: Node) =>
  n.latestBlockHash !== null && idsEqual(n.latestBlockHash, validator.latestBlockHash!);

describe("one validator, two verifiers", () => {
  it("both verifiers verify and adopt the validator's head", async () => {
    await waitFor(
      "verifiers on the validator's head",
      () => sameHead(a) && sameHead(b) && validator.latestBlock!.height >= 1,
      30_000,
    );
    expect(a.isValidating).toBe(false);
    expect(a.consensusStats.verification!.verified).toBeGreaterThanOrEqual(2);
    expect(a.rejectedBlocks.size).toBe(0);
    // A verifier announces its head too.
    expect(hex(a.relay.latestBlockHash!)).toBe(hex(a.latestBlockHash!));
  });

  it("a transaction sent from a verifier is included, and every node sees its effects", async () => {
    const { tx, recipient } = await nextTransfer(a, key);
    const hash = await sendTransaction(a, tx);
    for (const n of [validator, a, b]) {
      const found = await waitFor("inclusion", () => n.getTransactionReceipt(hash), 30_000);
      expect(found.receipt.status).toBe(ReceiptStatus.SUCCESS);
      expect((await n.getAccount(recipient))!.balance).toBe(1n);
    }
    expect(validator.consensusStats.validation!.transactions).toBeGreaterThanOrEqual(1);
  });

  it("blocks with a bad signature or a bad transaction are rejected and never adopted", async () => {
    // A hostile peer that holds forged blocks and announces them as its head.
    const store = new AtomStore();
    await store.start();
    const hostile = new RelayNode({
      store,
      incoming_port: 0,
      default_seed: null,
      bindAddress: "127.0.0.1",
      additional_seeds: [seedOf(a)],
    });
    await hostile.start();
    try {
      await waitFor(
        "hostile peer registered",
        () => a.relay.getPeer(hostile.publicKey) && hostile.getPeer(a.relay.publicKey),
      );
      const parentHash = validator.latestBlockHash!;
      const parent = validator.latestBlock!;
      const lookup = (id: Uint8Array) => validator.store.getLocal(id);
      const honest = await buildBlock({
        lookup,
        previous: parent,
        validatorSecretKey: key.secretKey,
        chainId: 0,
        transactions: [],
        timestamp: parent.timestamp + 1,
      });

      // 1. A bad signature.
      const badSig = new Block({
        ...fieldsOf(honest.block),
        nonce: honest.block.nonce,
        signature: new Uint8Array(64).fill(9),
      });
      // 2. Signed by the validator's key, but carrying a transaction with a forged signature.
      const account = (await validator.getAccount(key.publicKey, parentHash))!;
      const good = createTransaction({
        chainId: 0,
        amount: 1,
        counter: account.counter + 1n,
        recipient: key.publicKey,
        sender: key.publicKey,
      }).sign(key.secretKey);
      const forgedTx = new Transaction({ ...good, signature: new Uint8Array(64).fill(4) });
      const list = hashListToExpr([forgedTx.hash()]);
      const badTx = new Block({ ...fieldsOf(honest.block), transactionsHash: list.hash() });
      badTx.generateNonce(requiredWork(parent.difficulty), key.secretKey);
      for (const atom of [...badSig.atoms(), ...badTx.atoms(), ...forgedTx.atoms(), list])
        await store.putAtom(atom);

      for (const [forged, reason] of [
        [badSig, "bad_signature"],
        [badTx, "bad_transaction"],
      ] as const) {
        hostile.latestBlockHash = forged.hash();
        hostile.ping();
        await waitFor(`${reason} rejected`, () => a.rejectedBlocks.get(hex(forged.hash())));
        expect(a.rejectedBlocks.get(hex(forged.hash()))).toBe(reason);
        expect(hex(a.latestBlockHash!)).not.toBe(hex(forged.hash()));
      }
      // The verifier keeps following the validator.
      const height = validator.latestBlock!.height;
      await waitFor("following on", () => sameHead(a) && a.latestBlock!.height > height, 30_000);
      // B met the hostile peer through route exchange: it may have rejected the same blocks, nothing else.
      const forgedHashes = [hex(badSig.hash()), hex(badTx.hash())];
      for (const k of b.rejectedBlocks.keys()) expect(forgedHashes).toContain(k);
      expect(forgedHashes).not.toContain(hex(b.latestBlockHash!));
    } finally {
      await hostile.stop();
      await store.stop();
    }
  });
});
