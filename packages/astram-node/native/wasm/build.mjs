#!/usr/bin/env node
// Generates sha256d-search.wasm, the WebAssembly mining kernel used where the native addon did not
// build: `node native/wasm/build.mjs` (writes the file) or `--check` (exits 1 if the committed file
// differs from what this script generates). Only Node is needed: the module is assembled here,
// instruction by instruction, from a small expression graph of the SHA-256 rounds.
//
// The kernel hashes four nonces at once in the lanes of 128-bit SIMD vectors (i32x4).
//
//   search(startLo: i32, startHi: i32, groups: i32) -> i32
//     Tries nonces start .. start + 4*groups - 1 (u64, wrapping) in groups of four. Returns the
//     index of the first group in which a lane's first digest word passes the mask test, or -1.
//     The caller confirms candidates with a full sha256d (the mask covers only the first 32 bits).
//
// Memory (exported as "memory", little-endian u32 words, written by the caller per template):
//   [0, 32)    midstate: SHA-256 state after header bytes 0..127
//   [32, 64)   state after rounds 0..7 of block 3 (its words 0..7 do not depend on the nonce)
//   [64, 128)  block 3 message words (big-endian values); words 8 and 9 (the nonce) are ignored
//   [128, 132) mask of the first digest word: a candidate has (H0 & mask) == 0
//
// Values known while generating are folded, values that depend only on the template are computed
// once per call before the loop, and only what depends on the nonce is computed per group.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// ---- Expression graph over i32x4 values -------------------------------------------------------
// kind: 0 = known now (imm), 1 = per template (hoisted before the loop), 2 = per nonce group.
const IMM = 0;
const INV = 1;
const VAR = 2;

let nextId = 0;
function node(op, args, extra = {}) {
  const kind = Math.max(IMM, ...args.map((a) => a.kind), extra.kind ?? IMM);
  return { id: nextId++, op, args, kind, uses: 0, local: -1, ...extra };
}
const imm = (value) => node("imm", [], { value: value >>> 0 });
const load = (offset) => node("load", [], { kind: INV, offset });
const leaf = (op) => node(op, [], { kind: VAR });

const u32 = (x) => x >>> 0;
const fold = {
  xor: (a, b) => u32(a ^ b),
  and: (a, b) => u32(a & b),
  or: (a, b) => u32(a | b),
  shr: (a, n) => a >>> n,
  shl: (a, n) => u32(a << n),
  bitselect: (a, b, c) => u32((a & c) | (b & ~c)),
};

function binary(op, a, b) {
  if (a.kind === IMM && b.kind === IMM) return imm(fold[op](a.value, b.value));
  return node(op, [a, b]);
}
const xor = (a, b) => binary("xor", a, b);
const and = (a, b) => binary("and", a, b);
function shift(op, a, n) {
  if (a.kind === IMM) return imm(fold[op](a.value, n));
  return node(op, [a], { n });
}
const rotr = (x, n) => binary("or", shift("shr", x, n), shift("shl", x, 32 - n));
/** bitselect(a, b, c): bits of a where c is 1, of b where c is 0. */
function bitselect(a, b, c) {
  if (a.kind === IMM && b.kind === IMM && c.kind === IMM)
    return imm(fold.bitselect(a.value, b.value, c.value));
  return node("bitselect", [a, b, c]);
}

/** A sum of terms: known terms folded, per-template terms summed once before the loop. */
function add(...terms) {
  let known = 0;
  let hasKnown = false;
  const inv = [];
  const vars = [];
  for (const t of terms) {
    if (t.kind === IMM) {
      known = u32(known + t.value);
      hasKnown = true;
    } else if (t.kind === INV) inv.push(t);
    else vars.push(t);
  }
  const out = [...vars];
  if (inv.length > 0 || (hasKnown && known !== 0)) {
    let part = hasKnown && known !== 0 ? imm(known) : undefined;
    for (const t of inv) part = part ? node("add", [part, t]) : t;
    out.push(part);
  }
  if (out.length === 0) return imm(known);
  let acc = out[0];
  for (const t of out.slice(1)) acc = node("add", [acc, t]);
  return acc;
}

const bsig0 = (x) => xor(xor(rotr(x, 2), rotr(x, 13)), rotr(x, 22));
const bsig1 = (x) => xor(xor(rotr(x, 6), rotr(x, 11)), rotr(x, 25));
const ssig0 = (x) => xor(xor(rotr(x, 7), rotr(x, 18)), shift("shr", x, 3));
const ssig1 = (x) => xor(xor(rotr(x, 17), rotr(x, 19)), shift("shr", x, 10));
const ch = (e, f, g) => bitselect(f, g, e);
const maj = (a, b, c) => bitselect(c, a, xor(a, b));

/** SHA-256 rounds `from`..63 on state s (a..h) with message words w[0..15]; returns the new a..h. */
function rounds(state, w16, from) {
  const w = [...w16];
  let [a, b, c, d, e, f, g, h] = state;
  for (let i = from; i < 64; i++) {
    if (i >= 16) w[i] = add(ssig1(w[i - 2]), w[i - 7], ssig0(w[i - 15]), w[i - 16]);
    const t1 = add(h, bsig1(e), ch(e, f, g), imm(K[i]), w[i]);
    const t2 = add(bsig0(a), maj(a, b, c));
    h = g;
    g = f;
    f = e;
    e = add(d, t1);
    d = c;
    c = b;
    b = a;
    a = add(t1, t2);
  }
  return [a, b, c, d, e, f, g, h];
}

// The kernel's graph: hash 1 from the stored state after round 7, feed-forward, hash 2, first word.
const midstate = Array.from({ length: 8 }, (_, i) => load(4 * i));
const state8 = Array.from({ length: 8 }, (_, i) => load(32 + 4 * i));
const block3 = Array.from({ length: 16 }, (_, i) => load(64 + 4 * i));
const mask = load(128);
block3[8] = node("bswap", [leaf("nonceLo")]);
block3[9] = node("bswap", [leaf("nonceHi")]);
const out1 = rounds(state8, block3, 8);
const digest1 = out1.map((v, i) => add(v, midstate[i]));
const block2 = [...digest1, imm(0x80000000), imm(0), imm(0), imm(0), imm(0), imm(0), imm(0), imm(256)];
const h0 = add(rounds(IV.map(imm), block2, 0)[0], imm(IV[0]));
const candidate = node("eqz", [and(h0, mask)]);

// ---- Binary encoding ---------------------------------------------------------------------------
const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n) => {
  const out = [];
  let v = BigInt(n);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const simd = (op) => [0xfd, ...uleb(op)];
const OP = {
  "local.get": 0x20,
  "local.set": 0x21,
  "local.tee": 0x22,
  "i32.const": 0x41,
  "i64.const": 0x42,
  "i32.load": 0x28,
  "i32.add": 0x6a,
  "i32.ge_u": 0x4f,
  "i64.add": 0x7c,
  "i64.or": 0x84,
  "i64.shl": 0x86,
  "i64.shr_u": 0x88,
  "i32.wrap_i64": 0xa7,
  "i64.extend_i32_u": 0xad,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
};
const SIMD = {
  "v128.const": 12,
  "i8x16.shuffle": 13,
  "i32x4.splat": 17,
  "v128.and": 78,
  "v128.or": 80,
  "v128.xor": 81,
  "v128.bitselect": 82,
  "v128.any_true": 83,
  "i32x4.eq": 55,
  "i32x4.lt_u": 58,
  "i32x4.shl": 171,
  "i32x4.shr_u": 173,
  "i32x4.add": 174,
  "i32x4.sub": 177,
};
const V128 = 0x7b;
const I32 = 0x7f;
const I64 = 0x7e;
const v128const = (lanes) => {
  const bytes = [];
  for (const l of lanes) bytes.push(l & 0xff, (l >>> 8) & 0xff, (l >>> 16) & 0xff, (l >>> 24) & 0xff);
  return [...simd(SIMD["v128.const"]), ...bytes];
};

// Parameters 0..2 (startLo, startHi, groups); scalar locals 3..6; v128 locals from 7.
const P_LO = 0;
const P_HI = 1;
const P_GROUPS = 2;
const L_G = 3;
const L_LOBASE = 4;
const L_HIBASE = 5;
const L_BASE = 6; // i64
let v128Locals = 0;
const newLocal = () => 7 + v128Locals++;

function countUses(n, seen) {
  n.uses++;
  if (seen.has(n.id)) return;
  seen.add(n.id);
  if (n.kind === VAR) for (const a of n.args) countUses(a, seen);
}

const prologue = [];
const body = [];

/** Emits a per-template value into the prologue (once) and returns its local. */
function hoist(n) {
  if (n.local >= 0) return n.local;
  if (n.op === "load") {
    prologue.push(OP["i32.const"], 0, OP["i32.load"], 2, ...uleb(n.offset), ...simd(SIMD["i32x4.splat"]));
  } else {
    for (const a of n.args) pushOperand(prologue, a);
    emitOp(prologue, n);
  }
  n.local = newLocal();
  prologue.push(OP["local.set"], ...uleb(n.local));
  return n.local;
}

function pushOperand(code, a) {
  if (a.kind === IMM) code.push(...v128const([a.value, a.value, a.value, a.value]));
  else if (a.kind === INV) code.push(OP["local.get"], ...uleb(hoist(a)));
  else emitVar(code, a);
}

function emitOp(code, n) {
  switch (n.op) {
    case "add":
      return code.push(...simd(SIMD["i32x4.add"]));
    case "xor":
      return code.push(...simd(SIMD["v128.xor"]));
    case "and":
      return code.push(...simd(SIMD["v128.and"]));
    case "or":
      return code.push(...simd(SIMD["v128.or"]));
    case "bitselect":
      return code.push(...simd(SIMD["v128.bitselect"]));
    case "shr":
      return code.push(OP["i32.const"], ...sleb(n.n), ...simd(SIMD["i32x4.shr_u"]));
    case "shl":
      return code.push(OP["i32.const"], ...sleb(n.n), ...simd(SIMD["i32x4.shl"]));
    case "bswap": {
      // i8x16.shuffle takes two operands; the second is unused.
      code.push(...v128const([0, 0, 0, 0]));
      const lanes = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];
      return code.push(...simd(SIMD["i8x16.shuffle"]), ...lanes);
    }
    case "eqz":
      code.push(...v128const([0, 0, 0, 0]));
      return code.push(...simd(SIMD["i32x4.eq"]));
    default:
      throw new Error(`no encoding for ${n.op}`);
  }
}

/** Emits a per-group value; values used more than once go through a local (tee on first use). */
function emitVar(code, n) {
  if (n.local >= 0) {
    code.push(OP["local.get"], ...uleb(n.local));
    return;
  }
  if (n.op === "nonceLo") {
    // [lo, lo+1, lo+2, lo+3] (wrapping)
    code.push(OP["local.get"], L_LOBASE, ...simd(SIMD["i32x4.splat"]), ...v128const([0, 1, 2, 3]));
    code.push(...simd(SIMD["i32x4.add"]));
  } else if (n.op === "nonceHi") {
    // hi + (lane's lo wrapped ? 1 : 0): lt_u gives -1 in wrapped lanes.
    code.push(OP["local.get"], L_HIBASE, ...simd(SIMD["i32x4.splat"]));
    code.push(OP["local.get"], L_LOBASE, ...simd(SIMD["i32x4.splat"]), ...v128const([0, 1, 2, 3]));
    code.push(...simd(SIMD["i32x4.add"]));
    code.push(OP["local.get"], L_LOBASE, ...simd(SIMD["i32x4.splat"]), ...simd(SIMD["i32x4.lt_u"]));
    code.push(...simd(SIMD["i32x4.sub"]));
  } else {
    for (const a of n.args) pushOperand(code, a);
    emitOp(code, n);
  }
  if (n.uses > 1) {
    n.local = newLocal();
    code.push(OP["local.tee"], ...uleb(n.local));
  }
}

countUses(candidate, new Set());
// The loop: for g in 0..groups-1 { base = start + 4g; if (any lane is a candidate) return g } return -1
body.push(OP.block, 0x40, OP.loop, 0x40);
body.push(OP["local.get"], L_G, OP["local.get"], P_GROUPS, OP["i32.ge_u"], OP.br_if, 1);
// base = ((u64)startHi << 32 | startLo) + ((u64)g << 2)
body.push(OP["local.get"], P_HI, OP["i64.extend_i32_u"], OP["i64.const"], 32, OP["i64.shl"]);
body.push(OP["local.get"], P_LO, OP["i64.extend_i32_u"], OP["i64.or"]);
body.push(OP["local.get"], L_G, OP["i64.extend_i32_u"], OP["i64.const"], 2, OP["i64.shl"], OP["i64.add"]);
body.push(OP["local.set"], L_BASE);
body.push(OP["local.get"], L_BASE, OP["i32.wrap_i64"], OP["local.set"], L_LOBASE);
body.push(
  OP["local.get"],
  L_BASE,
  OP["i64.const"],
  32,
  OP["i64.shr_u"],
  OP["i32.wrap_i64"],
  OP["local.set"],
  L_HIBASE,
);
emitVar(body, candidate);
body.push(...simd(SIMD["v128.any_true"]), OP.if, 0x40, OP["local.get"], L_G, OP.return, OP.end);
body.push(OP["local.get"], L_G, OP["i32.const"], 1, OP["i32.add"], OP["local.set"], L_G);
body.push(OP.br, 0, OP.end, OP.end);
body.push(OP["i32.const"], ...sleb(-1), OP.end);

const locals = [
  [3, I32],
  [1, I64],
  [v128Locals, V128],
];
const funcBody = [...uleb(locals.length)];
for (const [count, type] of locals) funcBody.push(...uleb(count), type);
funcBody.push(...prologue, ...body);

const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const name = (s) => [...uleb(s.length), ...Buffer.from(s, "utf8")];
const module = [
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  // type 0: (i32, i32, i32) -> i32
  ...section(1, [1, 0x60, 3, I32, I32, I32, 1, I32]),
  ...section(3, [1, 0]),
  // one memory of at least one 64 KiB page
  ...section(5, [1, 0x00, 1]),
  ...section(7, [2, ...name("search"), 0x00, 0, ...name("memory"), 0x02, 0]),
  ...section(10, [1, ...uleb(funcBody.length), ...funcBody]),
];

export const wasmBytes = Uint8Array.from(module);
const target = fileURLToPath(new URL("./sha256d-search.wasm", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!WebAssembly.validate(wasmBytes)) throw new Error("generated module does not validate");
  if (process.argv.includes("--check")) {
    const same = Buffer.compare(readFileSync(target), Buffer.from(wasmBytes)) === 0;
    console.log(same ? `${target} is up to date` : `${target} differs from the generator's output`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(target, wasmBytes);
  console.log(`wrote ${target} (${wasmBytes.length} bytes, ${v128Locals} v128 locals)`);
}
