import type { NodeSettings } from "../config/settings.js";

/** A listening service's port, the flag that sets it and its environment variable. */
interface PortSetting {
  readonly what: string;
  readonly port: number;
  readonly flag: string;
  readonly env: string;
}

function portSettings(s: NodeSettings): PortSetting[] {
  return [
    { what: "HTTP API", port: s.httpPort, flag: "--http-port", env: "ASTRAM_HTTP_PORT" },
    { what: "Ethereum JSON-RPC", port: s.ethRpcPort, flag: "--rpc-port", env: "ASTRAM_ETH_RPC_PORT" },
    { what: "P2P", port: s.p2pPort, flag: "--p2p-port", env: "ASTRAM_P2P_PORT" },
    { what: "public API", port: s.publicRpcPort, flag: "--public-rpc-port", env: "ASTRAM_PUBLIC_RPC_PORT" },
    { what: "admin interface", port: s.adminPort, flag: "--admin-port", env: "ASTRAM_ADMIN_PORT" },
  ];
}

/**
 * One line naming why the node could not start and the flag that fixes it, for the failures an
 * operator causes (a busy port, no GPU for --gpu, a data directory it cannot use); undefined for
 * anything else, which is a bug and keeps its stack trace.
 */
export function describeStartFailure(e: unknown, settings: NodeSettings): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
  if (err.name === "GpuUnavailableError")
    return err.message.includes("without --gpu")
      ? err.message
      : `no usable GPU for --gpu: ${err.message}; run without --gpu to mine on the CPU`;
  if (err.code === "EADDRINUSE" || err.code === "EADDRNOTAVAIL" || err.code === "EACCES") {
    if (err.syscall === "listen" || err.syscall === "bind" || err.port !== undefined) {
      const used = portSettings(settings).find((p) => p.port !== 0 && p.port === err.port);
      const where = `${err.address ?? "?"}:${err.port ?? "?"}`;
      const cause =
        err.code === "EADDRINUSE"
          ? "is already in use (another program listens there)"
          : err.code === "EACCES"
            ? "needs privileges to bind"
            : "is not an address of this machine";
      return used
        ? `the ${used.what} port ${where} ${cause}; choose another with ${used.flag} <port> (or ${used.env})`
        : `${where} ${cause}; choose other ports with --http-port, --rpc-port, --p2p-port or --admin-port`;
    }
  }
  const fsCodes = ["EACCES", "EPERM", "EROFS", "ENOTDIR", "ENOSPC", "EEXIST"];
  if (err.code !== undefined && fsCodes.includes(err.code) && err.path !== undefined)
    return `cannot use the data directory ${settings.dataDir} (${err.code} on ${err.path}); it must be a directory this user can write, or choose another with --datadir`;
  return undefined;
}
