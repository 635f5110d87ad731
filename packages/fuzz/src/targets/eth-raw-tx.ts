import { bytesToHex, parseEthTransfer, VerifyError } from "astram-core";
import { astramSamples, params } from "./astram-samples.js";
import { type FuzzTarget, text } from "./target.js";

/**
 * Raw signed Ethereum transactions as eth_sendRawTransaction hands them to astram-core
 * (parseEthTransfer: RLP, type byte, chain id, signature recovery, transfer-only checks). An input
 * starting with "0x" is taken as the hex text itself (odd lengths, bad digits); any other input is
 * hex-encoded first. Only VerifyError may come out.
 */
export const ethRawTxTarget: FuzzTarget = {
  name: "eth-raw-tx",
  description:
    "astram-core parseEthTransfer (legacy and EIP-1559 raw transactions, as eth_sendRawTransaction)",
  coverage: /astram-core\/(dist|src)\/eth\/|micro-eth-signer\/.*(rlp|tx|index)/,
  maxLength: 1024,
  dictionary: [
    ...[
      [0x02],
      [0x01],
      [0x80],
      [0x81],
      [0xb8],
      [0xc0],
      [0xf8],
      [0xf9],
      [0x82, 0x05, 0x39],
      [0x25],
      [0x26],
    ].map((b) => Uint8Array.from(b)),
    new TextEncoder().encode("0x"),
  ],
  seeds: () => astramSamples().rawEth.map((hex) => Uint8Array.from(Buffer.from(hex.slice(2), "hex"))),
  run(input) {
    const hex = input[0] === 0x30 && input[1] === 0x78 ? text(input) : `0x${bytesToHex(input)}`;
    parseEthTransfer(hex, params.chainId);
  },
  expected: (e) => e instanceof VerifyError,
};
