import { NETWORKS } from "astram-core";
import type { DnsConfig } from "./config.js";

/** What a node's P2P handshake must announce to be listed: the fields astram-node itself checks. */
export interface ExpectedNetwork {
  readonly networkId: string;
  readonly chainId: number;
  readonly protocolVersion: number;
}

/** The network this registry serves: `--network`'s parameters, with `--network-id`/`--chain-id` overrides. */
export function expectedNetwork(
  config: Pick<DnsConfig, "network" | "networkId" | "chainId">,
): ExpectedNetwork {
  const base = NETWORKS[config.network];
  return {
    networkId: config.networkId !== "" ? config.networkId : base.networkId,
    chainId: config.chainId !== 0 ? config.chainId : base.chainId,
    protocolVersion: base.protocolVersion,
  };
}

/** `Astram-devnet (chain 1337, protocol 1)`, for messages. */
export function describeNetwork(n: ExpectedNetwork): string {
  return `${n.networkId} (chain ${n.chainId}, protocol ${n.protocolVersion})`;
}
