import { GWEI } from "astram-core";

/** Gas of a plain transfer (what eth_estimateGas answers). */
export const TRANSFER_GAS = 21_000n;

/**
 * What eth_gasPrice answers: 50 Gwei. An Ethereum transfer pays gasLimit x gasPrice in full, so a
 * 21,000-gas transfer pays 1.05 x 10^15 ram, which covers the minimum fee (10^14 + 2 x 10^11 per
 * byte) of the UTXO transaction it becomes up to about 4,750 bytes (about nine inputs).
 */
export const GAS_PRICE = 50n * GWEI;
