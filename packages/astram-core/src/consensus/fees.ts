import { BASE_MIN_FEE, MIN_FEE_PER_BYTE, WALLET_FEE_PER_BYTE } from "./params.js";

/** Minimum fee for a transaction of `size` encoded bytes: 10^14 + 2x10^11 x size ram. */
export function minFee(size: number): bigint {
  return BASE_MIN_FEE + BigInt(size) * MIN_FEE_PER_BYTE;
}

/** Fee a wallet pays at `ratePerByte` (default 300 Gwei/byte) on top of the base fee. */
export function walletFee(size: number, ratePerByte: bigint = WALLET_FEE_PER_BYTE): bigint {
  return BASE_MIN_FEE + BigInt(size) * ratePerByte;
}
