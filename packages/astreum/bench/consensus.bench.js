// Consensus benchmarks: transactions applied per second in block production (signature check,
// counter and balance rules, trie updates, receipts, the new accounts root, signing and the nonce),
// blocks verified per second (header rules alone, and full re-execution of the transactions), each
// beside the raw Ed25519 verification rate of node:crypto measured in the same run (the floor every
// transaction pays once when produced and once when verified).
import {
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  Account,
  Accounts,
  AtomStore,
  Block,
  buildBlock,
  createGenesis,
  createTransaction,
  generateKeyPair,
  verifyBlockState,
  verifyHeader,
} from "../dist/index.js";

const TXS = 2000;
const SENDERS = 500;

/** Raw node:crypto Ed25519 verifications per second (KeyObjects prepared, 32-byte messages). */
function rawVerifyRate() {
  const keys = [];
  for (let i = 0; i < 64; i++) {
    const seed = randomBytes(32);
    const priv = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
      format: "der",
      type: "pkcs8",
    });
    const pub = createPublicKey(priv);
    const msg = randomBytes(32);
    keys.push({ pub, msg, sig: nodeSign(null, msg, priv) });
  }
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    for (const k of keys) if (nodeVerify(null, k.msg, k.pub, k.sig)) n++;
  }
  return (n * 1000) / (performance.now() - start);
}

/** A chain whose parent block funds SENDERS accounts (built on a genesis state). */
async function fundedParent() {
  const atoms = new Map();
  const add = (list) => {
    for (const a of list) atoms.set(Buffer.from(a.hash()).toString("hex"), a);
  };
  const lookup = (id) => atoms.get(Buffer.from(id).toString("hex")) ?? null;
  const validator = generateKeyPair();
  const { block: genesis, atoms: g } = await createGenesis({
    chainId: 0,
    timestamp: 1_700_000_000,
    validatorSecretKey: validator.secretKey,
  });
  add(g);
  const accounts = new Accounts(lookup, genesis.accountsHash);
  const senders = [];
  for (let i = 0; i < SENDERS; i++) {
    const k = generateKeyPair();
    senders.push(k);
    accounts.set(k.publicKey, new Account({ balance: 1_000_000n }));
  }
  const { root, atoms: stateAtoms } = await accounts.commit();
  add(stateAtoms);
  const parent = new Block({
    chainId: 0,
    height: 0,
    timestamp: genesis.timestamp,
    cumulativeStake: 1n,
    cumulativeTransactionFee: 1n,
    accountsHash: root,
    validatorPublicKey: validator.publicKey,
  });
  parent.sign(validator.secretKey);
  add(parent.atoms());
  return { lookup, add, validator, senders, parent };
}

function transfers(senders, count, firstCounter = 1n) {
  const txs = [];
  const perSender = Math.ceil(count / senders.length);
  for (let c = 0; c < perSender; c++)
    for (const s of senders) {
      if (txs.length === count) break;
      txs.push(
        createTransaction({
          chainId: 0,
          amount: 1n,
          counter: firstCounter + BigInt(c),
          recipient: senders[(txs.length * 7) % senders.length].publicKey,
          sender: s.publicKey,
        }).sign(s.secretKey),
      );
    }
  return txs;
}

export default async function () {
  const rows = [];
  const raw = rawVerifyRate();
  const ref = { name: "node:crypto Ed25519 verify (raw)", value: raw, unit: "verifies/s" };

  // Block production with TXS transfers (fresh transaction objects, so every signature is checked).
  const { lookup, add, validator, senders, parent } = await fundedParent();
  const produce = (txs) =>
    buildBlock({
      lookup,
      previous: parent,
      validatorSecretKey: validator.secretKey,
      chainId: 0,
      transactions: txs,
      timestamp: parent.timestamp + 2,
    });
  let built;
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const txs = transfers(senders, TXS);
    const t = performance.now();
    built = await produce(txs);
    const rate = (built.included.length * 1000) / (performance.now() - t);
    if (built.included.length !== TXS) throw new Error(`only ${built.included.length} of ${TXS} applied`);
    best = Math.max(best, rate);
  }
  rows.push({
    name: `block production, ${TXS} transfers from ${SENDERS} senders`,
    value: best,
    unit: "tx/s",
    ref,
  });

  // The same, storing every atom of the block in an AtomStore's hot tier (what the node does).
  const store = new AtomStore();
  await store.start();
  {
    const txs = transfers(senders, TXS);
    const t = performance.now();
    const b = await produce(txs);
    await Promise.all(b.atoms.map((a) => store.putAtom(a)));
    rows.push({
      name: "block production + storing its atoms (hot tier)",
      value: (TXS * 1000) / (performance.now() - t),
      unit: "tx/s",
      ref,
      note: `${b.atoms.length} atoms`,
    });
  }
  await store.stop();

  // Verification by re-execution of that block on its parent's state (transactions decoded fresh).
  add(built.atoms);
  const block = built.block;
  let vbest = 0;
  for (let round = 0; round < 3; round++) {
    const copy = await Block.load(lookup, block.hash());
    const t = performance.now();
    verifyHeader(copy, parent, 0);
    await verifyBlockState(lookup, copy, parent);
    vbest = Math.max(vbest, (TXS * 1000) / (performance.now() - t));
  }
  rows.push({
    name: `block verification (re-execution), ${TXS}-transfer block`,
    value: vbest,
    unit: "tx/s",
    ref,
  });
  rows.push({ name: `  = blocks of ${TXS} transfers verified`, value: vbest / TXS, unit: "blocks/s" });

  // Empty blocks: production and verification rates (state transition, signature, nonce).
  const chain = [parent];
  const t0 = performance.now();
  const EMPTY = 200;
  for (let i = 0; i < EMPTY; i++) {
    const prev = chain[chain.length - 1];
    const b = await buildBlock({
      lookup,
      previous: prev,
      validatorSecretKey: validator.secretKey,
      chainId: 0,
      transactions: [],
      timestamp: prev.timestamp + 2,
    });
    add(b.atoms);
    chain.push(b.block);
  }
  rows.push({
    name: "empty block production",
    value: (EMPTY * 1000) / (performance.now() - t0),
    unit: "blocks/s",
  });
  const loaded = [];
  for (const b of chain) loaded.push(await Block.load(lookup, b.hash()));
  let t = performance.now();
  for (let i = 1; i < loaded.length; i++) verifyHeader(loaded[i], loaded[i - 1], 0);
  rows.push({
    name: "block header verification (signature, work, rules)",
    value: (EMPTY * 1000) / (performance.now() - t),
    unit: "blocks/s",
    ref,
  });
  t = performance.now();
  for (let i = 1; i < loaded.length; i++) await verifyBlockState(lookup, loaded[i], loaded[i - 1]);
  rows.push({
    name: "empty block verification (re-execution)",
    value: (EMPTY * 1000) / (performance.now() - t),
    unit: "blocks/s",
  });
  return rows;
}
