import { randomBytes } from "node:crypto";
import { type Block, blockHeaderHash, decodeBlock } from "astram-core";
import { getBytes } from "../http-json.js";
import { sleep } from "../wait.js";
import { RawPeer } from "./raw-peer.js";

export interface InvalidBlockOptions {
  readonly host: string;
  readonly port: number;
  readonly from: string;
  /** An honest node's API, to learn the current tip to build on. */
  readonly api: () => string | undefined;
  readonly intervalMs: number;
  readonly maxBlocks: number;
}

/**
 * A block on top of `tip` that no rule can accept: no transactions at all (no coinbase, a merkle
 * root that matches nothing), under a header whose hash is honestly computed. Its hash is new, so
 * it never shadows an honest block.
 */
export function invalidChild(tip: Block): Block {
  const header = {
    index: tip.header.index + 1,
    previousHash: tip.hash,
    merkleRoot: randomBytes(32).toString("hex"),
    timestamp: tip.header.timestamp + 1,
    nonce: BigInt(`0x${randomBytes(6).toString("hex")}`),
    difficulty: tip.header.difficulty,
  };
  return { header, transactions: [], hash: blockHeaderHash(header) };
}

/** Sends invalid blocks to a node, unsolicited, until dropped (bounded in count and by `signal`). */
export async function sendInvalidBlocks(
  o: InvalidBlockOptions,
  signal: AbortSignal,
): Promise<{ sent: number; dropped: boolean }> {
  const peer = await RawPeer.open(o.host, o.port, o.from);
  if (!peer) return { sent: 0, dropped: true };
  peer.handshake();
  let sent = 0;
  try {
    while (!signal.aborted && !peer.closed && sent < o.maxBlocks) {
      const api = o.api();
      const raw = api ? await getBytes(`${api}/block/${await tipHash(api)}?format=raw`) : undefined;
      if (raw) {
        peer.send({ type: "Block", block: invalidChild(decodeBlock(raw)) });
        sent++;
      }
      await sleep(o.intervalMs, signal);
    }
    return { sent, dropped: peer.closed };
  } finally {
    peer.close();
  }
}

async function tipHash(api: string): Promise<string> {
  const res = await fetch(`${api}/health`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
  const body = res?.ok ? ((await res.json()) as { tip?: string }) : undefined;
  return body?.tip ?? "0";
}
