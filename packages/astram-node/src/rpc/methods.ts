import { bytesToHex, hexToBytes, isCoinbase, keccak256 } from "astram-core";
import type { NodeMetrics } from "../api/metrics.js";
import { balanceAtHeight, ethNonceAtHeight, HistoryTooDeepError } from "../api/queries/address-history.js";
import { BlockCache } from "../api/queries/block-data.js";
import { type FoundTransaction, findByEthHash, findByTxid } from "../api/queries/find-transaction.js";
import { CLIENT_VERSION } from "../api/version.js";
import type { IndexEntry } from "../chain/chainstate.js";
import type { AstramNode } from "../node.js";
import { invalidParams, RpcError, serverError } from "./errors.js";
import { estimateTransferGas } from "./estimate-gas.js";
import {
  ethFieldsOf,
  formatBlock,
  formatQueuedTransfer,
  formatReceipt,
  formatTransaction,
} from "./eth-format.js";
import { ethState } from "./eth-state.js";
import { feeHistory } from "./fee-history.js";
import { GAS_PRICE, PRIORITY_FEE_PER_GAS } from "./gas.js";
import * as p from "./params.js";
import { toData, toQuantity } from "./quantity.js";
import { sendRawTransaction } from "./send-raw-transaction.js";
import { transactionBySenderAndNonce } from "./sender-nonce.js";

export interface MethodContext {
  readonly node: AstramNode;
  readonly metrics: NodeMetrics;
}

export type Method = (params: unknown, ctx: MethodContext) => unknown;

/** The block a tag names, or undefined when there is none (future number, unknown hash). */
function resolveBlock(node: AstramNode, tag: p.BlockTag): IndexEntry | undefined {
  switch (tag.kind) {
    case "earliest":
      return node.chain.atHeight(0);
    case "number":
      return tag.number > BigInt(node.chain.height) ? undefined : node.chain.atHeight(Number(tag.number));
    case "hash": {
      const e = node.chain.getEntry(tag.hash);
      if (e && tag.requireCanonical && !node.chain.isOnBestChain(e))
        throw serverError(`block 0x${tag.hash} is not on the best chain`);
      return e;
    }
    default:
      return node.chain.tip;
  }
}

/** The best-chain height whose state a state query asks for ("pending" answers the tip's state). */
function stateHeight(node: AstramNode, tag: p.BlockTag): number {
  const e = resolveBlock(node, tag);
  if (!e) throw serverError("header not found");
  if (!node.chain.isOnBestChain(e))
    throw serverError(`state of side-branch block 0x${e.hash} is not available`);
  return e.height;
}

function historical<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HistoryTooDeepError) throw serverError(`historical state not available: ${e.message}`);
    throw e;
  }
}

function txObject(node: AstramNode, found: FoundTransaction | undefined) {
  if (!found) return null;
  if (found.status === "pending") return formatTransaction(found.tx, undefined, found.entry.fee);
  let fee: bigint | undefined;
  if (!isCoinbase(found.tx) && !ethFieldsOf(found.tx)) {
    const cache = new BlockCache(node.store);
    const block = cache.block(found.blockHash);
    if (block) fee = nativeFee(found.tx, cache.spentOutputs(block));
  }
  return formatTransaction(
    found.tx,
    { blockHash: found.blockHash, blockNumber: found.height, index: found.position },
    fee,
  );
}

function nativeFee(tx: FoundTransaction["tx"], spent: Map<string, { amount: bigint }>): bigint | undefined {
  let inSum = 0n;
  for (const i of tx.inputs) {
    const u = spent.get(`${i.txid}:${i.vout}`);
    if (!u) return undefined;
    inSum += u.amount;
  }
  return inSum - tx.outputs.reduce((s, o) => s + o.amount, 0n);
}

/** Lookup by our eth_hash, keccak256 of the raw Ethereum transaction, or "0x" + txid. */
function findAny(node: AstramNode, hash: string): FoundTransaction | undefined {
  return findByEthHash(node, "0x" + hash) ?? findByTxid(node, hash);
}

function blockObject(node: AstramNode, entry: IndexEntry | undefined, full: boolean) {
  if (!entry) return null;
  const cache = new BlockCache(node.store);
  const block = cache.block(entry.hash);
  if (!block) return null;
  const txs = block.transactions.map((tx, index) => {
    if (!full) return formatTransaction(tx, undefined, undefined).hash;
    const eth = ethFieldsOf(tx);
    const fee = isCoinbase(tx) || eth ? undefined : nativeFee(tx, cache.spentOutputs(block));
    return formatTransaction(tx, { blockHash: entry.hash, blockNumber: entry.height, index }, fee);
  });
  return formatBlock(entry, block, txs);
}

/**
 * The sender's next nonce counting its mempool transactions. Queued future nonces are not counted:
 * the next nonce is the gap's (geth answers the same), and once the gap fills they are pending.
 */
function pendingNonce(node: AstramNode, address: string): number {
  return node.store.ethNonce(address) + node.mempool.pendingEthCount(address);
}

/** The transaction at `index` of a block, as eth_getTransactionByHash shows it; null when absent. */
function txAtIndex(node: AstramNode, entry: IndexEntry | undefined, index: number) {
  if (!entry) return null;
  const cache = new BlockCache(node.store);
  const block = cache.block(entry.hash);
  const tx = block?.transactions[index];
  if (!block || !tx) return null;
  const fee = isCoinbase(tx) || ethFieldsOf(tx) ? undefined : nativeFee(tx, cache.spentOutputs(block));
  return formatTransaction(tx, { blockHash: entry.hash, blockNumber: entry.height, index }, fee);
}

/** A method without parameters. */
const noArgs =
  (fn: (ctx: MethodContext) => unknown): Method =>
  (params, ctx) => {
    p.paramList(params, 0, 0);
    return fn(ctx);
  };

/** Every JSON-RPC method the node answers, each validating its own parameters. */
export const METHODS: Readonly<Record<string, Method>> = {
  web3_clientVersion: noArgs(() => CLIENT_VERSION),
  web3_sha3: (params) => {
    const [d] = p.paramList(params, 1, 1);
    return "0x" + bytesToHex(keccak256(hexToBytes(p.data(d, "data"))));
  },
  net_version: noArgs(({ node }) => String(node.params.chainId)),
  net_listening: noArgs(() => true),
  net_peerCount: noArgs(({ node }) => toQuantity(node.peers().length)),
  eth_chainId: noArgs(({ node }) => toQuantity(node.params.chainId)),
  eth_syncing: noArgs(({ node }) => {
    const s = node.syncProgress();
    return s.syncing
      ? {
          startingBlock: toQuantity(s.startingHeight),
          currentBlock: toQuantity(s.currentHeight),
          highestBlock: toQuantity(s.highestHeight),
        }
      : false;
  }),
  eth_mining: noArgs(({ node }) => node.miner?.isRunning ?? false),
  eth_hashrate: noArgs(({ node }) => toQuantity(Math.floor(node.miner?.hashrate ?? 0))),
  eth_accounts: noArgs(() => []),
  eth_blockNumber: noArgs(({ node }) => toQuantity(node.chain.height)),
  eth_gasPrice: noArgs(() => toQuantity(GAS_PRICE)),
  eth_maxPriorityFeePerGas: noArgs(() => toQuantity(PRIORITY_FEE_PER_GAS)),
  eth_feeHistory: (params, { node }) => {
    const [count, newest, percentiles] = p.paramList(params, 2, 3);
    const entry = resolveBlock(node, p.blockTag(newest, "newestBlock"));
    if (!entry) throw serverError("header not found");
    return feeHistory(
      node,
      entry,
      p.blockCount(count, "blockCount"),
      p.percentiles(percentiles, "rewardPercentiles"),
    );
  },

  eth_getBalance: (params, { node }) => {
    const [a, t] = p.paramList(params, 1, 2);
    const addr = p.address(a, "address");
    const height = stateHeight(node, p.blockTag(t, "block"));
    return toQuantity(historical(() => balanceAtHeight(node, addr, height)));
  },

  eth_getTransactionCount: (params, { node }) => {
    const [a, t] = p.paramList(params, 1, 2);
    const addr = p.address(a, "address");
    const tag = p.blockTag(t, "block");
    if (tag.kind === "pending") return toQuantity(pendingNonce(node, addr));
    const height = stateHeight(node, tag);
    return toQuantity(historical(() => ethNonceAtHeight(node, addr, height)));
  },

  eth_getCode: (params) => {
    const [a, t] = p.paramList(params, 1, 2);
    p.address(a, "address");
    p.blockTag(t, "block");
    return "0x";
  },

  eth_getStorageAt: (params) => {
    const [a, slot, t] = p.paramList(params, 2, 3);
    p.address(a, "address");
    p.quantity(slot, "slot");
    p.blockTag(t, "block");
    return toData("", 32);
  },

  eth_call: (params) => {
    const [c, t] = p.paramList(params, 1, 3);
    p.callObject(c, "transaction");
    p.blockTag(t, "block");
    return "0x";
  },

  eth_estimateGas: (params, { node }) => {
    const [c, t] = p.paramList(params, 1, 3);
    const call = p.callObject(c, "transaction");
    if (t !== undefined) p.blockTag(t, "block");
    if (call.to === undefined) throw serverError("contract creation is not supported");
    if (call.data !== undefined && call.data !== "0x")
      throw serverError("contract calls are not supported: Astram transfers carry no data");
    const nonce = call.from === undefined ? 0n : BigInt(pendingNonce(node, call.from));
    return toQuantity(estimateTransferGas(node, call, nonce));
  },

  eth_sendRawTransaction: (params, { node, metrics }) => {
    const [raw] = p.paramList(params, 1, 1);
    return sendRawTransaction(node, metrics, p.data(raw, "transaction"));
  },

  eth_getTransactionByHash: (params, { node }) => {
    const [h] = p.paramList(params, 1, 1);
    const hash = p.hash32(h, "hash");
    const found = findAny(node, hash);
    if (found) return txObject(node, found);
    // A future nonce waiting for its gap is pending too (geth answers for its queued transactions).
    const queued = ethState(node).queue.getByHash("0x" + hash);
    return queued ? formatQueuedTransfer(queued.auth) : null;
  },

  eth_getTransactionBySenderAndNonce: (params, { node }) => {
    const [a, n] = p.paramList(params, 2, 2);
    return transactionBySenderAndNonce(node, p.address(a, "sender"), p.quantity(n, "nonce"));
  },

  eth_getTransactionReceipt: (params, { node }) => {
    const [h] = p.paramList(params, 1, 1);
    const found = findAny(node, p.hash32(h, "hash"));
    if (found?.status !== "confirmed") return null;
    const cache = new BlockCache(node.store);
    const block = cache.block(found.blockHash);
    if (!block) return null;
    const fee =
      isCoinbase(found.tx) || ethFieldsOf(found.tx)
        ? undefined
        : nativeFee(found.tx, cache.spentOutputs(block));
    return formatReceipt(block, found.position, found.height, fee);
  },

  eth_getBlockByNumber: (params, { node }) => {
    const [t, full] = p.paramList(params, 1, 2);
    const tag = p.blockTag(t, "block");
    if (tag.kind === "hash") throw new RpcError(-32602, "block: use eth_getBlockByHash for a block hash");
    return blockObject(node, resolveBlock(node, tag), full === undefined ? false : p.bool(full, "full"));
  },

  eth_getBlockByHash: (params, { node }) => {
    const [h, full] = p.paramList(params, 1, 2);
    const entry = node.chain.getEntry(p.hash32(h, "hash"));
    return blockObject(node, entry, full === undefined ? false : p.bool(full, "full"));
  },

  eth_getBlockTransactionCountByNumber: (params, { node }) => {
    const [t] = p.paramList(params, 1, 1);
    const e = resolveBlock(node, p.blockTag(t, "block"));
    return e ? toQuantity(e.txCount) : null;
  },

  eth_getBlockTransactionCountByHash: (params, { node }) => {
    const [h] = p.paramList(params, 1, 1);
    const e = node.chain.getEntry(p.hash32(h, "hash"));
    return e ? toQuantity(e.txCount) : null;
  },

  eth_getTransactionByBlockNumberAndIndex: (params, { node }) => {
    const [t, i] = p.paramList(params, 2, 2);
    const tag = p.blockTag(t, "block");
    if (tag.kind === "hash")
      throw invalidParams("block: use eth_getTransactionByBlockHashAndIndex for a hash");
    return txAtIndex(node, resolveBlock(node, tag), p.index(i, "index"));
  },

  eth_getTransactionByBlockHashAndIndex: (params, { node }) => {
    const [h, i] = p.paramList(params, 2, 2);
    return txAtIndex(node, node.chain.getEntry(p.hash32(h, "hash")), p.index(i, "index"));
  },

  eth_getUncleCountByBlockNumber: (params, { node }) => {
    const [t] = p.paramList(params, 1, 1);
    return resolveBlock(node, p.blockTag(t, "block")) ? "0x0" : null;
  },
  eth_getUncleCountByBlockHash: (params, { node }) => {
    const [h] = p.paramList(params, 1, 1);
    return node.chain.getEntry(p.hash32(h, "hash")) ? "0x0" : null;
  },
  eth_getUncleByBlockNumberAndIndex: (params) => {
    const [t, i] = p.paramList(params, 2, 2);
    p.blockTag(t, "block");
    p.index(i, "index");
    return null;
  },
  eth_getUncleByBlockHashAndIndex: (params) => {
    const [h, i] = p.paramList(params, 2, 2);
    p.hash32(h, "hash");
    p.index(i, "index");
    return null;
  },
  eth_protocolVersion: noArgs(() => "0x41"),
  eth_getProof: (params) => {
    const [a, keys, t] = p.paramList(params, 2, 3);
    p.address(a, "address");
    if (!Array.isArray(keys)) throw invalidParams("storageKeys: expected an array");
    p.blockTag(t, "block");
    throw serverError(
      "eth_getProof is not supported: Astram keeps a UTXO set, not an account trie, so there is no Merkle-Patricia proof to give",
    );
  },

  eth_getLogs: (params) => {
    const [f] = p.paramList(params, 1, 1);
    p.logFilter(f, "filter");
    return [];
  },
  eth_newFilter: (params, { node }) => {
    const [f] = p.paramList(params, 1, 1);
    p.logFilter(f, "filter");
    return ethState(node).filters.install("log");
  },
  eth_newBlockFilter: noArgs(({ node }) => ethState(node).filters.install("block")),
  eth_newPendingTransactionFilter: (params, { node }) => {
    // Some clients pass a "full transactions" flag; only hashes are kept.
    const [full] = p.paramList(params, 0, 1);
    if (full !== undefined) p.bool(full, "fullTransactions");
    return ethState(node).filters.install("pendingTransaction");
  },
  eth_getFilterChanges: (params, { node }) => {
    const [id] = p.paramList(params, 1, 1);
    return ethState(node).filters.poll(p.filterId(id, "filterId"));
  },
  eth_getFilterLogs: (params, { node }) => {
    const [id] = p.paramList(params, 1, 1);
    const filters = ethState(node).filters;
    const fid = p.filterId(id, "filterId");
    if (filters.kindOf(fid) !== "log") throw serverError("filter not found: not a log filter");
    return [];
  },
  eth_uninstallFilter: (params, { node }) => {
    const [id] = p.paramList(params, 1, 1);
    return ethState(node).filters.uninstall(p.filterId(id, "filterId"));
  },
};
