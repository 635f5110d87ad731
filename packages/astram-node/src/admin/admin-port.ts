import type { NetworkName } from "astram-core";

/**
 * Default admin port per network: beside the HTTP API's 19533, one per network so that nodes of
 * different networks on one machine do not meet on it.
 */
export const DEFAULT_ADMIN_PORTS: Readonly<Record<NetworkName, number>> = {
  mainnet: 19534,
  testnet: 19535,
  devnet: 19536,
};
