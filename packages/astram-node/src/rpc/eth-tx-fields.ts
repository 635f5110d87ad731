import { bytesToHex, hexToBytes } from "astram-core";
import { type RlpItem, rlpDecode } from "./rlp.js";

/**
 * The fields of a signed Ethereum transfer as Ethereum tools show them. Only for display: the
 * signature, chain id, nonce and amounts were verified by astram-core (parseEthTransfer) before the
 * transaction entered the mempool or a block.
 */
export interface EthTxFields {
  /** 0 = legacy, 2 = EIP-1559. */
  readonly type: 0 | 2;
  readonly chainId: bigint;
  readonly nonce: bigint;
  readonly gasLimit: bigint;
  /** The price actually charged per gas: gasPrice, or maxFeePerGas for EIP-1559 (no base fee, no refund). */
  readonly gasPrice: bigint;
  readonly maxFeePerGas?: bigint;
  readonly maxPriorityFeePerGas?: bigint;
  readonly to: string;
  readonly value: bigint;
  readonly input: string;
  readonly v: bigint;
  readonly r: bigint;
  readonly s: bigint;
  readonly yParity?: number;
}

const bytesOf = (item: RlpItem | undefined): Uint8Array => {
  if (!(item instanceof Uint8Array)) throw new TypeError("expected an RLP string");
  return item;
};
const num = (item: RlpItem | undefined): bigint => {
  const b = bytesOf(item);
  return b.length === 0 ? 0n : BigInt("0x" + bytesToHex(b));
};
const hex = (item: RlpItem | undefined): string => "0x" + bytesToHex(bytesOf(item));

/** Decodes a raw legacy or EIP-1559 transaction ("0x" hex). Throws on anything else. */
export function decodeEthTxFields(rawHex: string): EthTxFields {
  const bytes = hexToBytes(rawHex);
  if (bytes[0] === 0x02) {
    const f = rlpDecode(bytes.subarray(1));
    if (!Array.isArray(f) || f.length !== 12) throw new TypeError("EIP-1559 transaction must have 12 fields");
    const yParity = Number(num(f[9]));
    const maxFeePerGas = num(f[3]);
    return {
      type: 2,
      chainId: num(f[0]),
      nonce: num(f[1]),
      maxPriorityFeePerGas: num(f[2]),
      maxFeePerGas,
      gasPrice: maxFeePerGas,
      gasLimit: num(f[4]),
      to: hex(f[5]),
      value: num(f[6]),
      input: hex(f[7]),
      yParity,
      v: BigInt(yParity),
      r: num(f[10]),
      s: num(f[11]),
    };
  }
  const f = rlpDecode(bytes);
  if (!Array.isArray(f) || f.length !== 9) throw new TypeError("legacy transaction must have 9 fields");
  const v = num(f[6]);
  return {
    type: 0,
    chainId: v >= 35n ? (v - 35n) / 2n : 0n,
    nonce: num(f[0]),
    gasPrice: num(f[1]),
    gasLimit: num(f[2]),
    to: hex(f[3]),
    value: num(f[4]),
    input: hex(f[5]),
    v,
    r: num(f[7]),
    s: num(f[8]),
  };
}
