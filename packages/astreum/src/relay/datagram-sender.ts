// The outgoing path below message encoding: size and difficulty limits, the PoW nonce the receiver
// asks for, and the send on the outgoing socket. Every refusal or socket error counts as a send
// failure (stats.sendFailures); nothing here throws.
import type { Socket } from "node:dgram";
import type { Logger } from "../logger.js";
import { type PeerAddress, socketHost } from "./address.js";
import { POW_NONCE_BYTES } from "./constants.js";
import { addPow, addPowAsync } from "./pow.js";
import type { RelayStats } from "./stats.js";

/** PoW difficulties up to this are searched synchronously (≈ 2^12 hashes); higher ones in slices. */
const SYNC_POW_DIFFICULTY = 12;
/** A peer asking for more than this is not sent to (2^24 hashes per datagram is beyond reason). */
const MAX_SEND_DIFFICULTY = 24;

export class DatagramSender {
  /** The outgoing socket while the relay runs (null before start and after stop). */
  socket: Socket | null = null;

  constructor(
    private readonly stats: RelayStats,
    private readonly log: Logger,
    private readonly maxDatagramSize: number,
    private readonly useIpv6: boolean,
  ) {}

  /**
   * Adds PoW of `difficulty` to `message` and sends it to `address`. False when refused (too large,
   * difficulty beyond reason, no socket); true once sent or, above the synchronous difficulty, once
   * the PoW search has started.
   */
  send(address: PeerAddress, message: Uint8Array, difficulty: number): boolean {
    if (this.socket === null || message.length + POW_NONCE_BYTES > this.maxDatagramSize) {
      this.stats.sendFailures++;
      if (this.socket !== null)
        this.log.warn(
          `not sending a ${message.length + POW_NONCE_BYTES}-byte datagram (max ${this.maxDatagramSize})`,
        );
      return false;
    }
    if (difficulty > MAX_SEND_DIFFICULTY) {
      this.stats.sendFailures++;
      this.log.warn(`not sending to ${address.host}:${address.port}: it asks PoW difficulty ${difficulty}`);
      return false;
    }
    if (difficulty <= SYNC_POW_DIFFICULTY) this.transmit(address, addPow(message, difficulty));
    else
      addPowAsync(message, difficulty).then(
        (d) => this.transmit(address, d),
        () => {
          this.stats.sendFailures++;
        },
      );
    return true;
  }

  private transmit(address: PeerAddress, datagram: Uint8Array): void {
    const socket = this.socket;
    if (socket === null) return;
    try {
      socket.send(datagram, address.port, socketHost(address.host, this.useIpv6), (err) => {
        if (err) this.stats.sendFailures++;
      });
      this.stats.sent++;
      this.stats.sentBytes += datagram.length;
    } catch {
      this.stats.sendFailures++;
    }
  }
}
