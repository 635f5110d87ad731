import {
  addressFromPrivateKey,
  type Block,
  buildEthTransferTransaction,
  encodeP2pMessage,
  FEATURES,
  hexToBytes,
  InventoryType,
  NETWORKS,
  type P2pMessage,
  parseEthTransfer,
  type Transaction,
} from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { Transaction as EthTx } from "micro-eth-signer";

/**
 * Recorded valid Astram data for the seed corpora: a short devnet chain (coinbases, a native
 * spend, an Ethereum-signed transfer), signed raw Ethereum transactions, and one P2P message of
 * every type. Deterministic (fixed keys, timestamps from genesis, RFC 6979 signatures).
 */
export interface AstramSamples {
  readonly blocks: Block[];
  readonly transactions: Transaction[];
  readonly rawEth: string[];
  readonly messages: P2pMessage[];
}

export const params = NETWORKS.devnet;
const keyA = hexToBytes(`${"00".repeat(31)}01`);
const keyB = hexToBytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
export const addrA = addressFromPrivateKey(keyA);
export const addrB = addressFromPrivateKey(keyB);
const ONE = 10n ** 18n;
const FEE = 10n ** 15n;

function signEth(type: "legacy" | "eip1559", nonce: bigint): string {
  const common = { to: addrB, value: ONE, nonce, gasLimit: 21_000n, chainId: BigInt(params.chainId) };
  const fields =
    type === "legacy"
      ? { ...common, type, gasPrice: 50n * 10n ** 9n }
      : { ...common, type, maxFeePerGas: 60n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };
  return EthTx.prepare(fields as Parameters<typeof EthTx.prepare>[0], false)
    .signBy(keyA)
    .toHex();
}

let cached: AstramSamples | undefined;

export function astramSamples(): AstramSamples {
  if (cached) return cached;
  const chain = new MemoryChain(params);
  for (let i = 0; i < 3; i++) chain.mine({ miner: addrA });
  const spend = chain.spend(keyA, chain.utxosOf(addrA).slice(0, 1), [{ to: addrB, amount: ONE }], FEE);
  const rawEth = [signEth("legacy", 0n), signEth("eip1559", 1n)];
  const auth = parseEthTransfer(rawEth[0]!, params.chainId);
  const funding = chain.utxosOf(addrA).filter((u) => !spend.inputs.some((i) => i.txid === u.txid));
  const ethTx = buildEthTransferTransaction(auth, funding.slice(0, 1), chain.tip.header.timestamp);
  chain.mine({ miner: addrB, transactions: [spend, ethTx] });
  const blocks = chain.blocks.slice(1);
  const last = blocks[blocks.length - 1]!;
  const hashes = blocks.map((b) => hexToBytes(b.hash));
  const info = {
    protocolVersion: 1,
    softwareVersion: "astram-node/0.1.0",
    supportedFeatures: Object.values(FEATURES),
    networkId: params.networkId,
    chainId: params.chainId,
    height: chain.height + 1,
    listeningPort: 19533,
  };
  const messages: P2pMessage[] = [
    { type: "Handshake", info },
    { type: "HandshakeAck", info: { ...info, supportedFeatures: [] } },
    { type: "Version", version: "0.1.0", height: 4 },
    { type: "VerAck" },
    { type: "GetHeaders", locatorHashes: hashes.slice(0, 2), stopHash: hashes[3] },
    { type: "GetHeaders", locatorHashes: [], stopHash: undefined },
    { type: "Headers", headers: blocks.map((b) => b.header) },
    { type: "Inv", objectType: InventoryType.Block, hashes },
    { type: "GetData", objectType: InventoryType.Transaction, hashes: [hexToBytes(spend.txid)] },
    { type: "Block", block: last },
    { type: "Tx", tx: spend },
    { type: "Tx", tx: ethTx },
    { type: "Ping", nonce: 2n ** 63n + 5n },
    { type: "Pong", nonce: 7n },
    { type: "GetAddr" },
    {
      type: "Addr",
      addresses: [
        { host: "127.0.0.1", port: 19533, lastSeen: 1_700_000_000 },
        { host: "::1", port: 8333, lastSeen: 1_700_000_100 },
      ],
    },
  ];
  cached = {
    blocks,
    transactions: [spend, ethTx, ...blocks.map((b) => b.transactions[0]!)],
    rawEth,
    messages,
  };
  return cached;
}

export const p2pPayloads = (): Uint8Array[] => astramSamples().messages.map(encodeP2pMessage);
