import { getJson } from "../http-json.js";

/** The parts of a node's `GET /status` the simulator reads. */
export interface NodeStatus {
  readonly height: number;
  readonly tip: string;
  /** Chain work as a bigint (hex in the API). */
  readonly chainWork: bigint;
  readonly peers: readonly { readonly ip: string; readonly direction: string }[];
}

interface StatusJson {
  blockchain?: { height?: number; chain_tip?: string; chain_work?: string };
  network?: { peers?: { address?: string; direction?: string }[] };
}

/** Host part of "1.2.3.4:5" or "[v6]:5". */
export function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (v6) return v6[1]!;
  const i = address.lastIndexOf(":");
  return i > 0 ? address.slice(0, i) : address;
}

export async function fetchNodeStatus(api: string, timeoutMs = 3_000): Promise<NodeStatus | undefined> {
  const s = await getJson<StatusJson>(`${api}/status`, timeoutMs);
  const chain = s?.blockchain;
  if (!chain || typeof chain.height !== "number" || typeof chain.chain_tip !== "string") return undefined;
  let chainWork = 0n;
  try {
    chainWork = BigInt(chain.chain_work ?? "0x0");
  } catch {}
  const peers = (s.network?.peers ?? [])
    .filter((p) => typeof p.address === "string")
    .map((p) => ({ ip: hostOf(p.address!), direction: p.direction ?? "" }));
  return { height: chain.height, tip: chain.chain_tip, chainWork, peers };
}
