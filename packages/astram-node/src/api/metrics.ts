import type { AcceptResult } from "../chain/chainstate.js";
import type { AstramNode, Source } from "../node.js";
import { HashrateHistory } from "./hashrate-history.js";

function bump(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

export function sourceLabel(source: Source): string {
  return typeof source === "string" ? source : "peer";
}

/**
 * Counters the HTTP API, the JSON-RPC and the dashboard report: blocks and transactions accepted
 * (by result and source), block validation failures by reason (blocks the chainstate marks invalid
 * and blocks refused through /mining/submit; the P2P service scores its peers' invalid blocks itself), transactions the API refused by
 * reason, requests per route and method, and the hashrate history. One instance per node, shared
 * by its services; `attach` subscribes to the node once it has started.
 */
export class NodeMetrics {
  readonly blocksAccepted = new Map<string, number>();
  readonly txsAccepted = new Map<string, number>();
  readonly txsRejected = new Map<string, number>();
  readonly validationFailures = new Map<string, number>();
  readonly httpRequests = new Map<string, number>();
  readonly rpcRequests = new Map<string, number>();
  readonly rpcErrors = new Map<string, number>();
  readonly hashrate: HashrateHistory;
  private users = 0;
  private node: AstramNode | undefined;

  private readonly onBlock = (_b: unknown, result: AcceptResult) => bump(this.blocksAccepted, result.status);
  private readonly onTx = (_e: unknown, source: Source) => bump(this.txsAccepted, sourceLabel(source));
  private readonly onInvalid = ({ hash, error }: { hash: string; error: { code: string } }) =>
    this.recordInvalidBlock(hash, error.code);
  /** Hashes already counted (the chainstate reports some invalid blocks that its caller also sees). */
  private readonly countedInvalid = new Set<string>();

  constructor(opts: { hashrateSampleMs?: number } = {}) {
    this.hashrate = new HashrateHistory(() => this.node?.miner?.hashrate ?? 0, opts.hashrateSampleMs);
  }

  /** Subscribes to a started node (idempotent per service: the last detach unsubscribes). */
  attach(node: AstramNode): void {
    this.users++;
    if (this.node) return;
    this.node = node;
    node.on("block", this.onBlock);
    node.on("tx", this.onTx);
    node.chain.on("invalid", this.onInvalid);
    this.hashrate.start();
  }

  detach(): void {
    if (--this.users > 0 || !this.node) return;
    this.node.off("block", this.onBlock);
    this.node.off("tx", this.onTx);
    this.node.chain.off("invalid", this.onInvalid);
    this.hashrate.stop();
    this.node = undefined;
  }

  /** An invalid block, counted once per hash by reason. */
  recordInvalidBlock(hash: string, code: string): void {
    if (this.countedInvalid.has(hash)) return;
    if (this.countedInvalid.size >= 1000) this.countedInvalid.clear();
    this.countedInvalid.add(hash);
    bump(this.validationFailures, code);
  }

  recordTxRejected(code: string): void {
    bump(this.txsRejected, code);
  }
  recordHttp(method: string, route: string, status: number): void {
    bump(this.httpRequests, `${method}\u0000${route}\u0000${status}`);
  }
  recordRpc(method: string, errorCode?: number): void {
    bump(this.rpcRequests, method);
    if (errorCode !== undefined) bump(this.rpcErrors, String(errorCode));
  }

  validationFailuresTotal(): number {
    let n = 0;
    for (const v of this.validationFailures.values()) n += v;
    return n;
  }
}
