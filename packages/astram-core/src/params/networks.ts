import type { Block } from "../primitives/block.js";
import { buildGenesisBlock, mineGenesisNonce } from "./genesis.js";

export type NetworkName = "mainnet" | "testnet" | "devnet";

export const PROTOCOL_VERSION = 1;

/** Everything that differs between networks; one object passed down, never globals. */
export interface NetworkParams {
  readonly name: NetworkName;
  readonly networkId: string;
  readonly chainId: number;
  readonly protocolVersion: number;
  /** Target seconds between blocks (the difficulty schedule's spacing). */
  readonly targetSpacing: number;
  readonly defaultPorts: { readonly p2p: number; readonly http: number; readonly rpc: number };
  /** Pinned genesis nonce and hash (recomputed at startup for custom network ids). */
  readonly genesisNonce: bigint;
  readonly genesisHash: string;
}

/** Nonces found once by mineGenesisNonce and pinned; a test re-mines and checks each. */
const BUILTIN = {
  mainnet: {
    name: "mainnet",
    networkId: "Astram-mainnet",
    chainId: 1,
    targetSpacing: 120,
    defaultPorts: { p2p: 8335, http: 19533, rpc: 8545 },
    genesisNonce: 10n,
    genesisHash: "077fea61c3ce2f91ed395d17e1076a9fbd4d9d0aee75b63e4528885ff8aad5c1",
  },
  testnet: {
    name: "testnet",
    networkId: "Astram-testnet",
    chainId: 8888,
    targetSpacing: 120,
    defaultPorts: { p2p: 8335, http: 19533, rpc: 8545 },
    genesisNonce: 19n,
    genesisHash: "0b30b9219edda09093bab92e88b971b17eff3fce26a3a6ebdd7bfcf92571f219",
  },
  // A local development network: the same rules with a 10 s target spacing; chain id 1337 is
  // MetaMask's usual localhost chain.
  devnet: {
    name: "devnet",
    networkId: "Astram-devnet",
    chainId: 1337,
    targetSpacing: 10,
    defaultPorts: { p2p: 18335, http: 19533, rpc: 8545 },
    genesisNonce: 26n,
    genesisHash: "0e3328c7503f9618e701948f09301e6c4082481a939c2461575e2371fd3a85f2",
  },
} as const;

export const NETWORKS: Readonly<Record<NetworkName, NetworkParams>> = {
  mainnet: { ...BUILTIN.mainnet, protocolVersion: PROTOCOL_VERSION },
  testnet: { ...BUILTIN.testnet, protocolVersion: PROTOCOL_VERSION },
  devnet: { ...BUILTIN.devnet, protocolVersion: PROTOCOL_VERSION },
};

export class NetworkConfigError extends Error {
  override readonly name = "NetworkConfigError";
  readonly code = "BAD_NETWORK_CONFIG";
}

const ALIASES: Record<string, NetworkName> = {
  main: "mainnet",
  mainnet: "mainnet",
  test: "testnet",
  testnet: "testnet",
  dev: "devnet",
  devnet: "devnet",
};

/** Parses a network name ("main", "testnet", "dev", ...), case-insensitive. */
export function parseNetworkName(value: string): NetworkName {
  const name = ALIASES[value.trim().toLowerCase()];
  if (!name) throw new NetworkConfigError(`unknown network "${value}" (accepted: main, test, dev)`);
  return name;
}

/**
 * Selects network parameters. `network` (ASTRAM_NETWORK) picks the base network (mainnet when
 * unset); ASTRAM_NETWORK_ID and ASTRAM_CHAIN_ID override the id and chain id for custom networks,
 * whose genesis is then derived from the new id.
 */
export function selectNetwork(env: {
  ASTRAM_NETWORK?: string | undefined;
  ASTRAM_NETWORK_ID?: string | undefined;
  ASTRAM_CHAIN_ID?: string | undefined;
}): NetworkParams {
  const base = env.ASTRAM_NETWORK?.trim() ? NETWORKS[parseNetworkName(env.ASTRAM_NETWORK)] : NETWORKS.mainnet;
  let params: NetworkParams = base;
  const id = env.ASTRAM_NETWORK_ID?.trim();
  if (id) {
    if (id.length > 64) throw new NetworkConfigError("ASTRAM_NETWORK_ID must be at most 64 characters");
    params = { ...params, networkId: id };
  }
  const chain = env.ASTRAM_CHAIN_ID?.trim();
  if (chain) {
    if (!/^[0-9]+$/.test(chain) || Number(chain) < 1 || !Number.isSafeInteger(Number(chain))) {
      throw new NetworkConfigError(`ASTRAM_CHAIN_ID must be a positive integer below 2^53, got "${chain}"`);
    }
    params = { ...params, chainId: Number(chain) };
  }
  if (params.networkId !== base.networkId) {
    const nonce = mineGenesisNonce(params.networkId);
    params = { ...params, genesisNonce: nonce, genesisHash: buildGenesisBlock(params.networkId, nonce).hash };
  }
  return params;
}

/** The genesis block of a network. */
export function genesisBlock(params: NetworkParams): Block {
  return buildGenesisBlock(params.networkId, params.genesisNonce);
}
