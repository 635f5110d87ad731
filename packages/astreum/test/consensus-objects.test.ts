// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// Consensus objects (facts §4.1-4.4, §4.7): the transaction vectors of §1.7, Ed25519 signing and
// verification, every object's round trip through stored atoms, the block tests of facts §8
// (`tests.block.atom`, `tests.block.nonce`) and malformed input.

import { generateKeyPairSync } from "node:crypto";
import {
  Account,
  AtomStore,
  Block,
  BytesExpr,
  ConsensusDecodeError,
  createTransaction,
  decodeBE,
  decodeLE,
  type Expr,
  ed25519Sign,
  ed25519Verify,
  encodeBE,
  encodeLE,
  generateKeyPair,
  hashRef,
  leadingZeroBits,
  listToExpr,
  MissingAtomError,
  NIL,
  publicKeyOf,
  Receipt,
  ReceiptStatus,
  SymbolExpr,
  Transaction,
  TransactionCode,
  TreasuryRecord,
  ZERO32,
} from "astreum";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex } from "./helpers.js";

const b32 = (byte: number) => new Uint8Array(32).fill(byte);

/** A lookup over a set of atoms (what a store holds). */
function lookupOf(atoms: readonly Expr[]): (id: Uint8Array) => Expr | null {
  const m = new Map(atoms.map((a) => [hex(a.hash()), a]));
  return (id) => m.get(hex(id)) ?? null;
}

/** Stores atoms in a fresh AtomStore and reads them back as a lookup (serialized form, hash-only Links). */
async function viaStore(atoms: readonly Expr[]): Promise<(id: Uint8Array) => Promise<Expr | null>> {
  const store = new AtomStore();
  await store.start();
  for (const a of atoms) await store.putAtom(a);
  const { deserializeExpr } = await import("astreum");
  // Re-decode every atom from its bytes so children are hash-only, as after a network fetch.
  return async (id) => {
    const e = await store.getLocal(id);
    return e === null ? null : deserializeExpr(e.serialize());
  };
}

describe("integer encodings (facts §4.1)", () => {
  it("minimal little- and big-endian, 0 as one byte, empty decodes to 0", () => {
    expect(hex(encodeLE(0))).toBe("00");
    expect(hex(encodeLE(100))).toBe("64");
    expect(hex(encodeLE(0x1234))).toBe("3412");
    expect(hex(encodeBE(0x1234))).toBe("1234");
    expect(hex(encodeBE(null))).toBe("");
    expect(decodeLE(new Uint8Array(0))).toBe(0n);
    expect(decodeBE(Uint8Array.of(1, 0))).toBe(256n);
    expect(decodeLE(Uint8Array.of(1, 0))).toBe(1n);
  });

  it("round-trips any non-negative integer (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 300n }), (n) => {
        expect(decodeLE(encodeLE(n))).toBe(n);
        expect(decodeBE(encodeBE(n))).toBe(n);
        const be = encodeBE(n);
        expect(be.length === 1 || be[0] !== 0).toBe(true);
      }),
    );
  });
});

describe("Ed25519 through node:crypto", () => {
  it("signs with raw 32-byte keys; verification rejects other messages, keys and tampered signatures", () => {
    const { secretKey, publicKey } = generateKeyPair();
    expect(publicKeyOf(secretKey)).toEqual(publicKey);
    const msg = new TextEncoder().encode("astreum");
    const sig = ed25519Sign(secretKey, msg);
    expect(sig.length).toBe(64);
    expect(ed25519Verify(publicKey, msg, sig)).toBe(true);
    expect(ed25519Verify(publicKey, new TextEncoder().encode("astreuM"), sig)).toBe(false);
    expect(ed25519Verify(generateKeyPair().publicKey, msg, sig)).toBe(false);
    const bad = Uint8Array.from(sig);
    bad[10]! ^= 1;
    expect(ed25519Verify(publicKey, msg, bad)).toBe(false);
    expect(ed25519Verify(publicKey, msg, sig.subarray(0, 63))).toBe(false);
    expect(ed25519Verify(new Uint8Array(31), msg, sig)).toBe(false);
  });

  it("RFC 8032 test 1 (empty message)", () => {
    const secret = Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex");
    expect(hex(publicKeyOf(secret))).toBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    expect(hex(ed25519Sign(secret, new Uint8Array(0)))).toBe(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
  });

  it("accepts secret keys as hex (with or without 0x) and as KeyObjects", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const raw = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
    const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
    expect(hex(publicKeyOf(privateKey))).toBe(hex(pub));
    expect(hex(publicKeyOf(raw.toString("hex")))).toBe(hex(pub));
    expect(hex(publicKeyOf(`0x${raw.toString("hex")}`))).toBe(hex(pub));
    expect(() => publicKeyOf("abcd")).toThrow(/32 bytes/);
  });
});

describe("transactions (facts §4.2)", () => {
  const vectorTx = (signature: Uint8Array | null = null) =>
    new Transaction({ chainId: 0, amount: 100, counter: 1, recipient: b32(2), sender: b32(1), signature });

  it("body and header hashes equal the §1.7 vectors", () => {
    expect(hex(vectorTx().bodyHash())).toBe(
      "512c3ea90b7c8f3d6ede63ea31e5dc3f6c42658bcf820cf9cbdf0486a89091c2",
    );
    expect(hex(vectorTx(new Uint8Array(64).fill(0x55)).hash())).toBe(
      "a4d06f6c12dd01e5c730e036c6e2574afa9f3bd2243ae840a576211c99e65fc1",
    );
  });

  it("createTransaction builds an unsigned TRANSFER; sign() signs the body hash with the sender key", () => {
    const { secretKey, publicKey } = generateKeyPair();
    const tx = createTransaction({
      chainId: 0,
      amount: 100,
      counter: 1,
      recipient: b32(2),
      sender: publicKey,
    });
    expect(tx.code).toBe(TransactionCode.TRANSFER);
    expect(tx.signature).toBeNull();
    expect(tx.verifySignature()).toBe(false);
    const unsignedHash = hex(tx.hash());
    tx.sign(secretKey);
    expect(tx.verifySignature()).toBe(true);
    expect(ed25519Verify(publicKey, tx.bodyHash(), tx.signature!)).toBe(true);
    expect(hex(tx.hash())).not.toBe(unsignedHash);
    expect(() => tx.sign(generateKeyPair().secretKey)).toThrow(/sender/);
  });

  it("round-trips through stored atoms, signature and all fields", async () => {
    const { secretKey, publicKey } = generateKeyPair();
    const tx = new Transaction({
      chainId: 1,
      amount: 2n ** 70n,
      counter: 7,
      costLimit: 300,
      data: Uint8Array.of(1, 2, 3),
      recipient: b32(9),
      sender: publicKey,
    }).sign(secretKey);
    const back = await Transaction.load(await viaStore(tx.atoms()), tx.hash());
    expect(back.amount).toBe(2n ** 70n);
    expect(back.counter).toBe(7n);
    expect(back.costLimit).toBe(300n);
    expect(back.chainId).toBe(1);
    expect(hex(back.data)).toBe("010203");
    expect(hex(back.signature!)).toBe(hex(tx.signature!));
    expect(back.verifySignature()).toBe(true);
    expect(hex(back.hash())).toBe(hex(tx.hash()));
  });

  it("refuses malformed transactions: wrong kind, version, code, key length, missing atoms", async () => {
    const tx = vectorTx(new Uint8Array(64).fill(1));
    const atoms = tx.atoms();
    const header = (items: Expr[]) => listToExpr(items);
    const body = tx.bodyExpr();
    const cases: Expr[] = [
      header([body, new BytesExpr(new Uint8Array(64)), new BytesExpr(encodeLE(1)), new SymbolExpr("block")]),
      header([
        body,
        new BytesExpr(new Uint8Array(64)),
        new BytesExpr(encodeLE(2)),
        new SymbolExpr("transaction"),
      ]),
      header([body, new BytesExpr(new Uint8Array(64)), new SymbolExpr("transaction")]),
    ];
    for (const c of cases)
      await expect(Transaction.load(lookupOf([...atoms, ...atomsOf(c)]), c.hash())).rejects.toThrow(
        ConsensusDecodeError,
      );
    // Code 0x99 is unknown.
    const badCode = listToExpr([
      listToExpr(
        [0, 100, 0x99, 1, 0, -1, -1, -1].map((v, i) => new BytesExpr(i >= 5 ? b32(i) : encodeLE(v))),
      ),
      new BytesExpr(new Uint8Array(0)),
      new BytesExpr(encodeLE(1)),
      new SymbolExpr("transaction"),
    ]);
    await expect(Transaction.load(lookupOf([badCode]), badCode.hash())).rejects.toThrow(/code/);
    await expect(Transaction.load(lookupOf([]), tx.hash())).rejects.toThrow(MissingAtomError);
    expect(() =>
      createTransaction({ chainId: 0, amount: -1, counter: 1, recipient: b32(1), sender: b32(2) }),
    ).toThrow();
    expect(() =>
      createTransaction({ chainId: 0, amount: 1, counter: 1, recipient: b32(1).subarray(1), sender: b32(2) }),
    ).toThrow(/32 bytes/);
  });
});

describe("accounts, receipts and treasury records", () => {
  it("an account round-trips; a new account has zero hashes, balance and counter", async () => {
    const fresh = new Account();
    expect(fresh.balance).toBe(0n);
    expect(fresh.counter).toBe(0n);
    expect(hex(fresh.dataHash)).toBe(hex(ZERO32));
    const a = new Account({ balance: 12345n, counter: 3n, dataHash: b32(0xaa), codeHash: b32(0xbb) });
    const back = await Account.load(await viaStore(a.atoms()), a.id());
    expect(back).toEqual(a);
    expect(hex((await Account.load(lookupOf(fresh.atoms()), fresh.id())).dataHash)).toBe(hex(ZERO32));
  });

  it("a receipt round-trips with both statuses; logs default to none (NIL as the last item)", async () => {
    for (const status of [ReceiptStatus.SUCCESS, ReceiptStatus.FAILED]) {
      const r = new Receipt(b32(7), status, 1n, 0n);
      const back = await Receipt.load(await viaStore(r.atoms()), r.id());
      expect(back).toEqual(r);
    }
    const withLogs = new Receipt(b32(7), ReceiptStatus.SUCCESS, 5n, 9n, b32(3));
    expect(await Receipt.load(lookupOf(withLogs.atoms()), withLogs.id())).toEqual(withLogs);
  });

  it("a treasury record round-trips", async () => {
    const r = new TreasuryRecord(1000n, b32(4), 12n);
    expect(await TreasuryRecord.load(await viaStore(r.atoms()), r.id())).toEqual(r);
  });

  it("hash references: ZERO32 is NIL, anything else a hash-only Link", () => {
    expect(hashRef(ZERO32)).toBe(NIL);
    expect(hex(hashRef(b32(0xaa)).hash())).toBe(
      "2e238d7d59e33e125ba181356ce5d02dd1db66b6175c3c5c281cc9a016972204",
    );
  });
});

describe("blocks (facts §4.7)", () => {
  // tests.block.atom
  it("tests.block.atom: a block with fixed fields round-trips through stored atoms", async () => {
    const block = new Block({
      chainId: 0,
      height: 1,
      timestamp: 1_234_567_890,
      accountsHash: new Uint8Array(32).fill("a".charCodeAt(0)),
      transactionsHash: new Uint8Array(32).fill("t".charCodeAt(0)),
      receiptsHash: new Uint8Array(32).fill("r".charCodeAt(0)),
      difficulty: 1,
      validatorPublicKey: new Uint8Array(32).fill("v".charCodeAt(0)),
      signature: new TextEncoder().encode("sig"),
      cumulativeTransactionFee: 1n,
      cumulativeStake: 1n,
    });
    const id = block.hash();
    const back = await Block.load(await viaStore(block.atoms()), id);
    for (const key of Object.keys(block) as (keyof Block)[]) {
      if (key === "body" || key === "header") continue;
      expect(back[key], String(key)).toEqual(block[key]);
    }
    expect(hex(back.previousBlockHash)).toBe(hex(ZERO32));
    expect(back.isGenesis).toBe(true);
    expect(new TextDecoder().decode(back.signature!)).toBe("sig");
    expect(hex(back.bodyHash())).toBe(hex(block.bodyHash()));
    expect(hex(back.hash())).toBe(hex(id));
  });

  // tests.block.nonce
  it("tests.block.nonce: generateNonce(1) finds a nonce whose hash has a leading zero bit", () => {
    const { secretKey, publicKey } = generateKeyPair();
    const block = new Block({
      chainId: 0,
      height: 1,
      timestamp: 1000,
      difficulty: 1,
      validatorPublicKey: publicKey,
    });
    const nonce = block.generateNonce(1);
    expect(nonce).toBeGreaterThanOrEqual(0n);
    expect(block.nonce).toBe(nonce);
    expect(leadingZeroBits(block.hash())).toBeGreaterThanOrEqual(1);
    // Signing each candidate: the signed header meets the target and the signature verifies.
    const signed = new Block({ chainId: 0, height: 1, timestamp: 1000, validatorPublicKey: publicKey });
    signed.generateNonce(6, secretKey);
    expect(leadingZeroBits(signed.hash())).toBeGreaterThanOrEqual(6);
    expect(signed.verifySignature()).toBe(true);
  });

  it("a signature verifies only for the validator's key and body", () => {
    const { secretKey, publicKey } = generateKeyPair();
    const block = new Block({ chainId: 0, height: 2, timestamp: 5, validatorPublicKey: publicKey }).sign(
      secretKey,
    );
    expect(block.verifySignature()).toBe(true);
    const other = new Block({
      chainId: 0,
      height: 3,
      timestamp: 5,
      validatorPublicKey: publicKey,
      signature: block.signature,
    });
    expect(other.verifySignature()).toBe(false);
    expect(() => block.sign(generateKeyPair().secretKey)).toThrow(/validator/);
  });

  it("refuses a header of the wrong kind, a non-canonical body, a bad validator key", async () => {
    const block = new Block({ chainId: 0, height: 1, timestamp: 5 });
    const wrongKind = listToExpr([
      block.bodyExpr(),
      new BytesExpr(new Uint8Array(0)),
      new BytesExpr(encodeBE(1)),
      new SymbolExpr("receipt"),
    ]);
    await expect(Block.load(lookupOf(atomsOf(wrongKind)), wrongKind.hash())).rejects.toThrow(/not a block/);
    const items = [...Array(17)].map((_, i) =>
      i === 15 ? new BytesExpr(Uint8Array.of(1, 2)) : new BytesExpr(encodeBE(i)),
    );
    const header = listToExpr([
      listToExpr(items),
      new BytesExpr(new Uint8Array(0)),
      new BytesExpr(encodeBE(1)),
      new SymbolExpr("block"),
    ]);
    await expect(Block.load(lookupOf(atomsOf(header)), header.hash())).rejects.toThrow(ConsensusDecodeError);
    const padded = listToExpr([
      listToExpr([...Array(17)].map((_, i) => new BytesExpr(i === 1 ? Uint8Array.of(0, 1) : encodeBE(0)))),
      new BytesExpr(new Uint8Array(0)),
      new BytesExpr(encodeBE(1)),
      new SymbolExpr("block"),
    ]);
    await expect(Block.load(lookupOf(atomsOf(padded)), padded.hash())).rejects.toThrow(ConsensusDecodeError);
  });
});

function atomsOf(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    if (n.tag === 0) {
      if (n.head !== null) stack.push(n.head);
      if (n.tail !== null) stack.push(n.tail);
    }
  }
  return out;
}
