// Promise wrappers around node:dgram for the relay: binding, closing, and asking the kernel which
// local address it would send from.
import { createSocket, type Socket } from "node:dgram";

export function bindSocket(socket: Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once("error", onError);
    socket.bind(port, host, () => {
      socket.off("error", onError);
      resolve();
    });
  });
}

export function closeSocket(socket: Socket | null): Promise<void> {
  if (socket === null) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

/** The local IPv4 address a UDP socket would send from toward host:port (no packet is sent). */
export function localAddressToward(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.on("error", () => {
      s.close();
      resolve(null);
    });
    s.connect(port, host, () => {
      try {
        const a = s.address().address;
        s.close();
        resolve(a === "0.0.0.0" ? null : a);
      } catch {
        s.close();
        resolve(null);
      }
    });
  });
}
