import {
  type Address,
  GWEI,
  MIN_FEE_PER_BYTE,
  MIN_OUTPUT_VALUE,
  parseAddress,
  parseAsrm,
  WALLET_FEE_PER_BYTE,
} from "astram-core";
import { BadAddressError, BadAmountError, BadFeeRateError } from "../errors.js";

/** Recipient as typed: any case; a mixed-case address must carry a correct EIP-55 checksum. */
export function parseRecipient(text: string): Address {
  try {
    return parseAddress(text);
  } catch (e) {
    throw new BadAddressError((e as Error).message);
  }
}

/**
 * An amount to send, in ASRM as an exact decimal ("1.5", "0.000001"; at most 18 decimals), to ram.
 * It must be at least the dust limit (1 Twei = 0.000001 ASRM), the smallest output consensus allows.
 */
export function parseSendAmount(text: string): bigint {
  let ram: bigint;
  try {
    ram = parseAsrm(text);
  } catch (e) {
    throw new BadAmountError((e as Error).message);
  }
  if (ram < MIN_OUTPUT_VALUE)
    throw new BadAmountError(`"${text}" is below the smallest output, 0.000001 ASRM (1 Twei)`);
  return ram;
}

export const DEFAULT_FEE_RATE = WALLET_FEE_PER_BYTE;

/**
 * `--fee-rate` in Gwei per byte (an exact decimal with up to 9 places, so any ram/byte rate can be
 * written). Below the node's 200 Gwei/byte minimum the transaction would be refused, so it is
 * refused here; above 1,000,000 Gwei/byte it is almost certainly a typo.
 */
export function parseFeeRate(text: string): bigint {
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw new BadFeeRateError(`"${text}" is not a fee rate in Gwei per byte (e.g. 300)`);
  const rate = BigInt(m[1]!) * GWEI + BigInt((m[2] ?? "").padEnd(9, "0"));
  if (rate < MIN_FEE_PER_BYTE)
    throw new BadFeeRateError(`${text} Gwei/byte is below the node's minimum of 200 Gwei/byte`);
  if (rate > 1_000_000n * GWEI) throw new BadFeeRateError(`${text} Gwei/byte is above 1,000,000 Gwei/byte`);
  return rate;
}

/** Formats a ram/byte rate in Gwei/byte. */
export function formatFeeRate(rate: bigint): string {
  const whole = rate / GWEI;
  const frac = (rate % GWEI).toString().padStart(9, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}
