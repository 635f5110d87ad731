// `astreum node`, `astreum keygen` and `astreum tx send`: run a node, make an Ed25519 key, send a
// transfer through the network.
import { writeFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { generateKeyPair, publicKeyOf } from "../consensus/ed25519.js";
import { ReceiptStatus } from "../consensus/receipt.js";
import { sendTransaction } from "../consensus/send-transaction.js";
import { createTransaction } from "../consensus/transaction.js";
import { Node } from "../node.js";
import { ConfigError } from "../options.js";
import { relayKeyPair } from "../relay/keys.js";
import type { Peer } from "../relay/peer.js";
import { buildNodeConfig, ENV_PREFIX, type NodeFlags, readKeyFile } from "./node-config.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a number of seconds above 0");
  return n;
}

function amount(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a non-negative integer");
  return BigInt(value);
}

function addNodeOptions(cmd: Command): Command {
  return cmd
    .option("--config <file>", "JSON file of config keys (the seed's snake_case names)")
    .option("--port <port>", "incoming_port (0 = ephemeral)")
    .option("--bind <address>", "address to bind (default 0.0.0.0, or :: with use_ipv6)")
    .option("--seed <host:port>", "add to additional_seeds (repeatable)", collect)
    .addOption(new Option("--default-seed <host:port>", "default_seed: the peer whose head is trusted"))
    .option("--no-default-seed", "no default seed (verify every head instead)")
    .option("--cold-storage-path <dir>", "cold_storage_path")
    .option("--chain <name>", "main or test")
    .option("--log-dir <dir>", "log directory (default: the platform state directory)")
    .option("--no-logging", "logging_enabled false: no log files at all")
    .option("--verbose", "mirror log records to stdout")
    .option("--latest-block-hash <hex>", "start from this block")
    .option(
      "--state-dir <dir>",
      "keep the relay key, latest verified head and known peers here across restarts (node-state.json),\n" +
        "with the atoms in DIR/atoms and the logs in DIR/logs unless configured otherwise",
    )
    .option("--relay-key <keyfile>", "relay_secret_key from KEYFILE (keygen --relay's JSON, or bare hex)");
}

/** One event line: JSON with the time (ms since 1970) first, or text. */
function printEvent(json: boolean, event: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify({ time: Date.now(), ...event })}\n` : `${text}\n`);
}

const peerEvent = (event: string, p: Peer) => ({
  event,
  key: p.key,
  host: p.address.host,
  port: p.address.port,
});

function fail(err: unknown): void {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const prefix =
    typeof code === "string" && !code.startsWith("ERR_") && !message.startsWith(code) ? `${code}: ` : "";
  process.stderr.write(`error: ${prefix}${message}\n`);
  process.exitCode = 1;
}

export function registerNodeCommands(program: Command): void {
  addNodeOptions(
    program
      .command("node")
      .description(
        "run a node: connect, follow and verify the chain; with --validate also produce blocks.\n" +
          `Config precedence: defaults < --config file < environment (${ENV_PREFIX}<KEY>, e.g. ` +
          `${ENV_PREFIX}INCOMING_PORT=0) < flags.`,
      )
      .option(
        "--validate <keyfile>",
        "validate with the Ed25519 secret key in KEYFILE (see keygen); a validation_secret_key in the config also validates",
      )
      .option("--json", "one JSON object per line on stdout (events: listening, head, peer, peer_removed)"),
  ).action(async (flags: NodeFlags & { validate?: string; json?: boolean }) => {
    let node: Node;
    try {
      const key = flags.validate === undefined ? null : readKeyFile(flags.validate);
      const json = flags.json === true;
      // With --json, stdout carries the events: verbose log lines go to stderr.
      node = new Node({ ...buildNodeConfig(flags), ...(json ? { loggingConsole: "stderr" as const } : {}) });
      node.on("head", (hash, block, how) =>
        printEvent(
          json,
          { event: "head", height: block.height, hash: hex(hash), how, timestamp: block.timestamp },
          `head ${block.height} ${hex(hash)} (${how})`,
        ),
      );
      node.relay.on("peer", (p) =>
        printEvent(
          json,
          peerEvent("peer", p),
          `peer ${p.key} joined from ${p.address.host}:${p.address.port}`,
        ),
      );
      node.relay.on("peerRemoved", (p) =>
        printEvent(json, peerEvent("peer_removed", p), `peer ${p.key} left`),
      );
      // Printed as soon as the socket is bound, before the first handshake goes out: whoever
      // forwards datagrams to this node (a simulator's link) can start before any answer comes.
      const c = node.config;
      const validating = key !== null ? hex(publicKeyOf(key)) : c.validation_public_key;
      node.relay.on("listening", (port) =>
        printEvent(
          json,
          {
            event: "listening",
            port,
            relay_public_key: node.relay.publicKeyHex,
            validation_public_key: validating,
            chain: c.chain,
            chain_id: c.chain_id,
          },
          `astreum node: relay ${node.relay.publicKeyHex} on port ${port}` +
            (validating === null ? "" : `, validating as ${validating}`),
        ),
      );
      if (key !== null) await node.validate(key);
      else if (c.validation_secret_key !== null) await node.validate();
      else await node.verify();
    } catch (err) {
      fail(err);
      return;
    }
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        node.close().then(resolve, resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });

  program
    .command("keygen")
    .description("make an Ed25519 key pair for validating or sending transactions")
    .option("--out <file>", "write the key file here (mode 0600) and print only the public key")
    .option("--relay", "an X25519 relay key pair instead (for --relay-key)")
    .action((flags: { out?: string; relay?: boolean }) => {
      const { secretKey, publicKey } = flags.relay === true ? relayKeyPair() : generateKeyPair();
      const text = `${JSON.stringify({ secret_key: hex(secretKey), public_key: hex(publicKey) })}\n`;
      if (flags.out === undefined) {
        process.stdout.write(text);
        return;
      }
      try {
        writeFileSync(flags.out, text, { mode: 0o600, flag: "wx" });
      } catch (err) {
        fail(err);
        return;
      }
      process.stdout.write(`${hex(publicKey)}\n`);
    });

  const tx = program.command("tx").description("transactions");
  addNodeOptions(
    tx
      .command("send")
      .description(
        "sign a transfer with KEYFILE and send it through the network (the node starts on an ephemeral port,\n" +
          "follows the chain from its seeds, reads the sender's counter, sends, and with --wait waits for a receipt)",
      )
      .requiredOption("--key <keyfile>", "the sender's Ed25519 key file")
      .requiredOption("--to <hex>", "recipient public key (32 bytes hex)")
      .requiredOption("--amount <n>", "amount to transfer", amount)
      .option("--counter <n>", "counter (default: the sender's account counter + 1)", amount)
      .option("--wait", "wait until a block includes it and print its receipt")
      .option("--timeout <seconds>", "give up waiting after this long (default 60)", positiveSeconds, 60)
      .option("--json", "print the result as JSON"),
  ).action(
    async (
      flags: NodeFlags & {
        key: string;
        to: string;
        amount: bigint;
        counter?: bigint;
        wait?: boolean;
        timeout: number;
        json?: boolean;
      },
    ) => {
      let node: Node | null = null;
      try {
        const secret = readKeyFile(flags.key);
        const to = flags.to.replace(/^0x/i, "");
        if (!/^[0-9a-fA-F]{64}$/.test(to)) throw new ConfigError("--to", "expected a 32-byte hex public key");
        node = new Node(buildNodeConfig(flags, { incoming_port: 0 }));
        await node.verify();
        const deadline = Date.now() + flags.timeout * 1000;
        const n = node;
        await until(
          () => n.latestBlock !== null,
          deadline,
          "the node found no latest block (is a seed reachable?)",
        );
        const sender = publicKeyOf(secret);
        const counter = flags.counter ?? ((await node.getAccount(sender))?.counter ?? 0n) + 1n;
        const t = createTransaction({
          chainId: node.config.chain_id,
          amount: flags.amount,
          counter,
          recipient: Uint8Array.from(Buffer.from(to, "hex")),
          sender,
        }).sign(secret);
        const hash = await sendTransaction(node, t);
        const result: Record<string, unknown> = { transaction: hex(hash), counter: counter.toString() };
        if (flags.wait === true) {
          let found: Awaited<ReturnType<Node["getTransactionReceipt"]>> = null;
          try {
            await until(
              async () => {
                found = await n.getTransactionReceipt(hash);
                return found !== null;
              },
              deadline,
              `the transaction was not included within ${flags.timeout} s`,
            );
          } catch (err) {
            // It was sent: say which transaction, so it can be looked for later.
            result.status = "PENDING";
            process.stdout.write(flags.json === true ? `${JSON.stringify(result)}\n` : `${hex(hash)}\n`);
            throw err;
          }
          const f = found!;
          result.block = hex(f.blockHash);
          result.height = f.block.height;
          result.status = f.receipt.status === ReceiptStatus.SUCCESS ? "SUCCESS" : "FAILED";
        }
        process.stdout.write(
          flags.json === true
            ? `${JSON.stringify(result)}\n`
            : `${hex(hash)}\n${result.block === undefined ? "" : `included in block ${result.height} ${result.block}: ${result.status}\n`}`,
        );
      } catch (err) {
        fail(err);
      } finally {
        await node?.close();
      }
    },
  );
}

async function until(
  check: () => boolean | Promise<boolean>,
  deadline: number,
  message: string,
): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 100));
  }
}
