import {
  blockTarget,
  headerTarget,
  p2pFrameTarget,
  p2pMessageTarget,
  transactionTarget,
} from "./astram-decoders.js";
import { astreumEvalTarget, astreumParserTarget, astreumTokenizerTarget } from "./astreum-machine.js";
import { bincodeTarget } from "./bincode.js";
import { ethRawTxTarget } from "./eth-raw-tx.js";
import { httpApiTarget } from "./http-api.js";
import { jsonRpcTarget } from "./json-rpc.js";
import { relayDatagramTarget } from "./relay-datagram.js";
import type { FuzzTarget } from "./target.js";

/** Every target, in the order `all` runs them. */
export const TARGETS: readonly FuzzTarget[] = [
  bincodeTarget,
  p2pMessageTarget,
  p2pFrameTarget,
  blockTarget,
  transactionTarget,
  headerTarget,
  ethRawTxTarget,
  jsonRpcTarget,
  httpApiTarget,
  relayDatagramTarget,
  astreumTokenizerTarget,
  astreumParserTarget,
  astreumEvalTarget,
];

export function findTarget(name: string): FuzzTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}
