import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressFromPrivateKey, type Block, hexToBytes, NETWORKS, outPointKey, type Utxo } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { ChainStore, Chainstate, type IndexEntry } from "astram-node";
import { afterEach, expect } from "vitest";

export const params = NETWORKS.devnet;
export const keyA = hexToBytes("00".repeat(31) + "01");
export const keyB = hexToBytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
export const addrA = addressFromPrivateKey(keyA);
export const addrB = addressFromPrivateKey(keyB);
export const addrC = "0x" + "cc".repeat(20);
export const FEE = 10n ** 15n;
export const ONE = 10n ** 18n;

const dirs: string[] = [];
export function tempDir(prefix = "astram-test-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export interface OpenChain {
  store: ChainStore;
  chain: Chainstate;
  dir: string;
  close(): Promise<void>;
}

export function openChain(dir = tempDir()): OpenChain {
  const store = ChainStore.open(dir, params.networkId);
  const chain = new Chainstate(store, params);
  chain.init();
  return { store, chain, dir, close: () => store.close() };
}

/** A memory chain that shares the first `height` blocks of `source` (to build competing branches). */
export function forkAt(source: MemoryChain, height: number): MemoryChain {
  const fork = new MemoryChain(source.params);
  for (let h = 1; h <= height; h++) fork.connect(source.blocks[h]!);
  return fork;
}

export function mineBlocks(chain: MemoryChain, n: number, miner = addrA): Block[] {
  return Array.from({ length: n }, () => chain.mine({ miner }));
}

/** The store's full UTXO set as a sorted list of keys with owners and amounts. */
export function utxoSnapshot(utxos: Iterable<Utxo>): string[] {
  return [...utxos].map((u) => `${outPointKey(u)}=${u.to}:${u.amount}`).sort();
}

/** Asserts the LMDB store holds exactly the state of the reference memory chain. */
export function expectSameState(store: ChainStore, chain: Chainstate, reference: MemoryChain): void {
  expect(chain.tip.hash).toBe(reference.tip.hash);
  expect(chain.height).toBe(reference.height);
  expect(store.getTipHash()).toBe(reference.tip.hash);
  const refUtxos = reference.blocks.length > 0 ? utxoSnapshot(referenceUtxos(reference)) : [];
  expect(utxoSnapshot(store.allUtxos())).toEqual(refUtxos);
  for (const [h, b] of reference.blocks.entries()) expect(store.getHashAtHeight(h)).toBe(b.hash);
  for (const address of [addrA, addrB, addrC]) {
    const stats = store.addressStats(address);
    const balance = stats.received - stats.sent;
    expect(balance).toBe(reference.balanceOf(address));
    expect(stats.utxoCount).toBe(reference.utxosOf(address).length);
    expect(store.addressUtxos(address).length).toBe(reference.utxosOf(address).length);
  }
}

function referenceUtxos(reference: MemoryChain): Utxo[] {
  const all: Utxo[] = [];
  const owners = new Set<string>();
  for (const b of reference.blocks)
    for (const tx of b.transactions) for (const o of tx.outputs) owners.add(o.to);
  for (const o of owners) all.push(...reference.utxosOf(o));
  return all;
}

export function entryAt(chain: Chainstate, height: number): IndexEntry {
  return chain.atHeight(height)!;
}
