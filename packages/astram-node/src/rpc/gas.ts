import { GWEI } from "astram-core";

/** Gas of a plain transfer: the least gas any transfer may carry (geth's intrinsic gas). */
export const TRANSFER_GAS = 21_000n;

/**
 * What eth_gasPrice answers: 12 Gwei. A transfer is charged gasLimit x price in full, so 21,000
 * gas at this price (2.52 x 10^14 ram) covers the minimum fee (10^14 + 2 x 10^11 per byte) of the
 * one-input UTXO transaction an Ethereum transfer becomes (about 700 bytes); eth_estimateGas asks
 * for more gas when this sender's transfer needs more inputs.
 */
export const GAS_PRICE = 12n * GWEI;

/**
 * The EIP-1559 quote: every block reports baseFeePerGas = half the price and
 * eth_maxPriorityFeePerGas answers the other half, so base + priority = eth_gasPrice. Wallets set
 * maxFeePerGas to 1.2 (viem) or 2 (ethers, web3.js) x base + priority, always at least the price;
 * the signature authorises gasLimit x maxFeePerGas, which is what the transfer pays (no refund).
 */
export const BASE_FEE_PER_GAS = GAS_PRICE / 2n;
export const PRIORITY_FEE_PER_GAS = GAS_PRICE - BASE_FEE_PER_GAS;
