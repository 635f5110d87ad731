import { type Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../config/load-config.js";
import { ConfigError } from "../config/settings.js";
import type { AddressEntry, BanEntry, PeerDetails } from "../p2p/peer-control.js";
import { failCli } from "../util/cli-fail.js";
import { AdminClientError, callAdmin, resolveAdminEndpoint } from "./admin-client.js";
import { addressesView, bansView, peersView, statusView } from "./admin-views.js";
import { NoCookieError } from "./cookie.js";
import { formatSpan, parseDuration } from "./human-units.js";

/** What a command prints; `ok: false` when it changed nothing (exit status 1). */
interface Outcome {
  readonly text: string;
  readonly ok: boolean;
}

interface AdminCommand {
  readonly name: string;
  /** Positional arguments, e.g. "<ip>"; each becomes the method parameter of the same name. */
  readonly args?: readonly string[];
  readonly summary: string;
  readonly method: string;
  /** Extra options of this command (name, description, parser). */
  readonly options?: readonly { flags: string; description: string; parse?: (v: string) => unknown }[];
  readonly params?: (args: readonly string[], opts: Record<string, unknown>) => Record<string, unknown>;
  readonly show: (result: never) => Outcome;
}

const done = (text: string): Outcome => ({ text, ok: true });
const refused = (text: string): Outcome => ({ text, ok: false });

/** Every admin subcommand: the JSON-RPC method it calls and how it prints the answer. */
const COMMANDS: readonly AdminCommand[] = [
  {
    name: "status",
    summary: "the node's network, height, tip and counts of peers, bans and known addresses",
    method: "status",
    show: (r: Record<string, unknown>) => done(statusView(r)),
  },
  {
    name: "peers",
    summary: "connected peers: address, direction, height, ban score, bytes, ping, age, features",
    method: "peers",
    show: (r: PeerDetails[]) => done(peersView(r)),
  },
  {
    name: "addpeer",
    args: ["<address>"],
    summary: "add host:port to the address book and connect to it now",
    method: "addpeer",
    params: ([address]) => ({ address }),
    show: (r: { address: string; connected: boolean; reason?: string }) =>
      r.connected
        ? done(r.reason ? `${r.reason}: ${r.address}` : `connected to ${r.address}`)
        : refused(`not connected to ${r.address}: ${r.reason ?? "failed"} (kept in the address book)`),
  },
  {
    name: "removepeer",
    args: ["<address>"],
    summary: "forget host:port from the address book and disconnect it",
    method: "removepeer",
    params: ([address]) => ({ address }),
    show: (r: { address: string; removed: boolean }) =>
      r.removed
        ? done(`removed ${r.address}`)
        : refused(`${r.address} is neither in the address book nor connected`),
  },
  {
    name: "disconnect",
    args: ["<target>"],
    summary: "disconnect the peers matching a peer id, host:port or IP (they may reconnect)",
    method: "disconnect",
    params: ([target]) => ({ target }),
    show: (r: { target: string; disconnected: number }) =>
      r.disconnected > 0
        ? done(`disconnected ${r.disconnected} peer${r.disconnected === 1 ? "" : "s"} matching ${r.target}`)
        : refused(`no connected peer matches ${r.target}`),
  },
  {
    name: "ban",
    args: ["<ip>"],
    summary: "ban an IP (its peers are disconnected at once); kept in bans.json across restarts",
    method: "ban",
    options: [
      {
        flags: "--for <duration>",
        description: "how long: seconds, or 90s, 30m, 1h, 2d, 1w (default 24h)",
        parse: (v) => {
          try {
            return parseDuration(v);
          } catch (e) {
            throw new InvalidArgumentError((e as Error).message);
          }
        },
      },
      { flags: "--reason <text>", description: "why (shown by `bans`)" },
    ],
    params: ([ip], o) => ({
      ip,
      ...(o.for === undefined ? {} : { seconds: o.for }),
      ...(o.reason === undefined ? {} : { reason: o.reason }),
    }),
    show: (r: BanEntry) =>
      done(
        `banned ${r.ip} for ${formatSpan((r.until - r.createdAt) / 1000)} (until ${new Date(r.until).toISOString()}): ${r.reason}`,
      ),
  },
  {
    name: "unban",
    args: ["<ip>"],
    summary: "lift the ban on an IP",
    method: "unban",
    params: ([ip]) => ({ ip }),
    show: (r: { ip: string; lifted: boolean }) =>
      r.lifted ? done(`lifted the ban on ${r.ip}`) : refused(`${r.ip} was not banned`),
  },
  {
    name: "bans",
    summary: "banned IPs with their expiry and reason",
    method: "bans",
    show: (r: BanEntry[]) => done(bansView(r)),
  },
  {
    name: "clearbans",
    summary: "lift every ban",
    method: "clearbans",
    show: (r: { lifted: number }) => done(`lifted ${r.lifted} ban${r.lifted === 1 ? "" : "s"}`),
  },
  {
    name: "addresses",
    summary: "the address book: known peer addresses, where they came from, last seen, failures",
    method: "addresses",
    show: (r: AddressEntry[]) => done(addressesView(r)),
  },
];

export const ADMIN_COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

/** Calls the admin interface of the node the client options describe and prints the answer. */
async function run(c: AdminCommand, args: readonly string[], o: Record<string, unknown>): Promise<void> {
  const str = (v: unknown) => (v === undefined ? undefined : String(v));
  let endpoint: ReturnType<typeof resolveAdminEndpoint>;
  try {
    const { settings } = loadConfig({
      configFile: str(o.config),
      flags: {
        NETWORK: str(o.network),
        DATA_DIR: str(o.datadir),
        ADMIN_BIND_ADDR: str(o.adminHost),
        ADMIN_PORT: str(o.adminPort),
        ADMIN_PASSWORD: str(o.adminPassword),
      },
    });
    endpoint = resolveAdminEndpoint(settings);
  } catch (e) {
    if (e instanceof ConfigError) failCli(`configuration error: ${e.message}`, 2);
    if (e instanceof NoCookieError) failCli(`${e.message}; or pass --admin-password`);
    throw e;
  }
  let result: unknown;
  try {
    result = await callAdmin(endpoint, c.method, c.params?.(args, o) ?? {});
  } catch (e) {
    if (e instanceof AdminClientError) failCli(e.message);
    throw e;
  }
  const outcome = c.show(result as never);
  if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (outcome.ok) process.stdout.write(`${outcome.text}\n`);
  if (!outcome.ok) {
    if (!o.json) process.stderr.write(`astram-node: ${outcome.text}\n`);
    process.exitCode = 1;
  }
}

/**
 * Adds the admin client subcommands (`astram-node peers`, `astram-node ban 1.2.3.4 --for 1h`, …) to
 * the CLI. Each finds the node like the node finds itself (--config, --network, --datadir,
 * environment), reads its `.cookie` (or uses --admin-password / ADMIN_PASSWORD) and calls its admin
 * interface; `--json` prints the raw result.
 */
export function addAdminCommands(program: Command): void {
  for (const c of COMMANDS) {
    const cmd = program
      .command([c.name, ...(c.args ?? [])].join(" "))
      .description(c.summary)
      .option("--json", "print the raw JSON result")
      .option(
        "--network <name>",
        "the node's network: main, test or dev (finds its data directory and admin port)",
      )
      .option("--datadir <dir>", "the node's data directory (where its .cookie is)")
      .option("--config <file>", "the node's settings file (default ./config/nodeSettings.conf if present)")
      .option(
        "--admin-host <addr>",
        "admin interface address (default the node's ADMIN_BIND_ADDR, 127.0.0.1)",
      )
      .option("--admin-port <port>", "admin interface port (default 19534; testnet 19535; devnet 19536)")
      .option(
        "--admin-password <secret>",
        "user:password or a password for user admin, instead of the cookie",
      );
    for (const opt of c.options ?? []) {
      if (opt.parse) cmd.option(opt.flags, opt.description, opt.parse);
      else cmd.option(opt.flags, opt.description);
    }
    cmd.action(async (...received: unknown[]) => {
      const self = received.at(-1) as Command;
      await run(c, self.processedArgs as string[], self.optsWithGlobals());
    });
  }
}
