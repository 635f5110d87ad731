import { Command, CommanderError } from "commander";
import { addressCommand } from "../commands/address.js";
import { balanceCommand } from "../commands/balance.js";
import { configInitCommand, configSetCommand, configViewCommand } from "../commands/config.js";
import { createCommand } from "../commands/create.js";
import { exportCommand } from "../commands/export.js";
import { historyCommand } from "../commands/history.js";
import { importCommand } from "../commands/import.js";
import { sendCommand } from "../commands/send.js";
import { InsufficientFundsError, WalletError } from "../errors.js";
import { CommandContext, type GlobalOptions } from "./context.js";
import type { CliIo } from "./io.js";
import { Output } from "./output.js";

const HELP_AFTER = `
Settings precedence: defaults < config file < environment < flags.
  config file   --config FILE, else $ASTRAM_WALLET_CONFIG, else $HOME/.Astram/config.json
  wallet file   --wallet FILE, else $ASTRAM_WALLET_PATH, else config "wallet_path",
                else $HOME/.Astram/wallet.json
  node API      --node URL, else $ASTRAM_NODE_RPC_URL, else config "node_rpc_url",
                else http://127.0.0.1:19533
  network       --network main|test|dev, else $ASTRAM_NETWORK, else config "network",
                else mainnet

Keys per network: create and import derive on m/44'/60'/0'/0/i (coin type 60, MetaMask's
path) for mainnet and on m/44'/1'/0'/0/i (coin type 1) for testnet and devnet, so one phrase
gives different keys on mainnet and on the test networks. The wallet file records its path and
network; --coin-type 60 keeps the old mainnet path (the same addresses on every network).
Wallet files without a recorded path derive on coin type 60, as before.
Remaining risk: Astram signatures commit to no network or chain id. A key used on two networks
lets a payment made on one be replayed on the other; keep one wallet per network.
Password: $ASTRAM_WALLET_PASSWORD if set (for scripts), otherwise a prompt (hidden on a terminal,
one line of stdin otherwise).

Examples:
  astram-wallet create
  astram-wallet address --index 1
  astram-wallet balance --json
  astram-wallet send 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1.5 --fee-rate 300
  astram-wallet history --limit 10
  astram-wallet config set node_rpc_url http://127.0.0.1:19533
`;

const COIN_TYPE_HELP =
  "BIP44 coin type of the keys (default: 60 on mainnet, 1 on testnet and devnet; 60 keeps the old path)";

type Runner = (ctx: CommandContext) => Promise<void> | void;

/**
 * Runs the CLI once. Returns the exit status: 0 success, 1 failure, 2 bad usage or input, 130
 * interrupted. Never throws for user errors.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let run: Runner | undefined;
  let globals: GlobalOptions = {};
  const program = new Command()
    .name("astram-wallet")
    .description(
      "The Astram command-line wallet: a BIP39 recovery phrase with Ethereum-path (MetaMask-compatible)\n" +
        "addresses, an encrypted keystore, balances, exact-fee payments and history from an Astram node.",
    )
    .option("--config <file>", "config file (default $HOME/.Astram/config.json)")
    .option("--wallet <file>", "wallet file (default from config, $HOME/.Astram/wallet.json)")
    .option("--node <url>", "node HTTP API URL (default from config, http://127.0.0.1:19533)")
    .option("--network <name>", "main, test or dev: picks the keys of create/import (default mainnet)")
    .option("--json", 'print results as JSON (errors as {"error":{code,message}} on stderr)')
    .addHelpText("after", HELP_AFTER)
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const action =
    (f: (ctx: CommandContext, ...args: never[]) => Promise<void> | void) =>
    (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      globals = cmd.optsWithGlobals<GlobalOptions>();
      const positional = args.slice(0, -2);
      const opts = args[args.length - 2];
      run = (ctx) =>
        (f as (ctx: CommandContext, ...a: unknown[]) => Promise<void> | void)(ctx, ...positional, opts);
    };

  program
    .command("create")
    .description("create a wallet: a new recovery phrase (shown once) and an encrypted wallet file")
    .option("--words <n>", "12 or 24 words (default 12)")
    .option("--scrypt-n <n>", "scrypt cost N for the keystore (default 262144; lower only for tests)")
    .option("--coin-type <n>", COIN_TYPE_HELP)
    .action(action(createCommand));
  program
    .command("import")
    .description(
      "create the wallet file from an existing recovery phrase or private key (read from the prompt)",
    )
    .option("--scrypt-n <n>", "scrypt cost N for the keystore (default 262144; lower only for tests)")
    .option("--coin-type <n>", COIN_TYPE_HELP)
    .action(action(importCommand));
  program
    .command("address")
    .description("print the address of account --index (path m/44'/<coin type>'/0'/0/i)")
    .option("--index <i>", "account index (default 0)")
    .option("--count <n>", "list n accounts starting at --index")
    .action(action(addressCommand));
  program
    .command("balance")
    .argument("[address]", "any address (default: this wallet's account --index)")
    .description("print the confirmed balance")
    .option("--index <i>", "account index (default 0)")
    .action(action(balanceCommand));
  program
    .command("send")
    .argument("<to>", "recipient address (0x + 40 hex; mixed case must be a valid EIP-55 checksum)")
    .argument("<amount>", "amount in ASRM, an exact decimal with up to 18 places (e.g. 1.5)")
    .description("send ASRM: choose coins, pay the exact size-based fee, confirm, submit")
    .option("--index <i>", "account to send from (default 0)")
    .option(
      "--fee-rate <gwei>",
      "fee rate in Gwei per byte on top of the 0.0001 ASRM base (default 300, minimum 200)",
    )
    .option("-y, --yes", "do not ask for confirmation")
    .option("--dry-run", "build and sign, print, but do not submit")
    .option("--wait", "wait until the transaction is in a block")
    .option("--wait-timeout <seconds>", "how long --wait waits (default 600)")
    .action(action(sendCommand));
  program
    .command("history")
    .argument("[address]", "any address (default: this wallet's account --index)")
    .description("list transactions of the address, newest first")
    .option("--index <i>", "account index (default 0)")
    .option("--limit <n>", "at most n transactions (default 20)")
    .option("--offset <n>", "skip the newest n transactions (default 0)")
    .action(action(historyCommand));
  program
    .command("export")
    .description("print a private key (or with --mnemonic the recovery phrase) in clear text; asks twice")
    .option("--index <i>", "account index (default 0)")
    .option("--mnemonic", "print the recovery phrase instead of a private key")
    .option("-y, --yes", "do not ask for confirmation (the password is still required)")
    .action(action(exportCommand));
  const config = program.command("config").description("view or change the wallet configuration");
  config
    .command("view")
    .description("print the settings in effect and their sources")
    .action(action(configViewCommand));
  config
    .command("set")
    .argument("<key>", "wallet_path, node_rpc_url or network")
    .argument("<value>", "new value")
    .description("set one key in the config file (created if missing)")
    .action(action(configSetCommand));
  config
    .command("init")
    .description("write a config file with the defaults")
    .option("--force", "replace an existing config file")
    .action(action(configInitCommand));

  for (const c of [program, ...program.commands, ...config.commands]) {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  if (!run) {
    // A bare `config` (or no command at all): show the help.
    if (argv.includes("config")) config.outputHelp();
    else program.outputHelp();
    return 2;
  }
  const ctx = new CommandContext(io, globals);
  try {
    await run(ctx);
    return 0;
  } catch (e) {
    return reportError(new Output(io, globals.json === true), e, io);
  } finally {
    ctx.prompter.close();
  }
}

function reportError(out: Output, e: unknown, io: CliIo): number {
  if (e instanceof WalletError) {
    const extra: Record<string, unknown> =
      e instanceof InsufficientFundsError
        ? { available_ram: e.available.toString(), needed_ram: e.needed.toString() }
        : {};
    out.error(e.code, e.message, extra);
    return e.code === "ABORTED" && e.message === "interrupted" ? 130 : e.exitCode;
  }
  const err = e as Error;
  out.error("INTERNAL", `unexpected error: ${err?.message ?? String(e)}`);
  if (io.env.ASTRAM_WALLET_DEBUG) io.stderr.write(`${err?.stack ?? ""}\n`);
  return 1;
}
