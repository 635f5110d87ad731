import { createSocket, type Socket } from "node:dgram";

/**
 * UDP sockets bound to given loopback addresses (any port), one per address, shared by every UDP
 * relay of a run: a relay forwards a datagram from the socket bound to the sender's address, so the
 * receiving node sees the sender's address as the datagram's source. Linux lets any 127.0.0.0/8
 * address be bound without configuration. Bounded: at most `maxSockets` addresses.
 */
export class UdpSourceSockets {
  private readonly sockets = new Map<string, Promise<Socket>>();
  private closed = false;

  constructor(private readonly maxSockets = 4096) {}

  get size(): number {
    return this.sockets.size;
  }

  /** The socket sending from `host` (bound on first use). */
  socketFor(host: string): Promise<Socket> {
    if (this.closed) return Promise.reject(new Error("UDP source sockets are closed"));
    let socket = this.sockets.get(host);
    if (socket) return socket;
    if (this.sockets.size >= this.maxSockets)
      return Promise.reject(new RangeError(`more than ${this.maxSockets} UDP source addresses`));
    socket = bindSource(host);
    this.sockets.set(host, socket);
    // A failed bind is forgotten so a later datagram can try again.
    socket.catch(() => this.sockets.delete(host));
    return socket;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.sockets.values()];
    this.sockets.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (s) => new Promise<void>((resolve) => s.close(() => resolve())),
          () => undefined,
        ),
      ),
    );
  }
}

function bindSource(host: string): Promise<Socket> {
  const socket = createSocket("udp4");
  // Nothing is expected back on these sockets (nodes answer the sender's relay); errors such as
  // ICMP port-unreachable reports are not failures of the relay.
  socket.on("error", () => {});
  socket.on("message", () => {});
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once("error", onError);
    socket.bind(0, host, () => {
      socket.off("error", onError);
      resolve(socket);
    });
  });
}
