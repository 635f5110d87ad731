import { type ResolvedSettings, resolveSettings } from "../config.js";
import { NodeClient } from "../node/node-client.js";
import type { CliIo } from "./io.js";
import { Output } from "./output.js";
import { Prompter } from "./prompter.js";

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  config?: string;
  wallet?: string;
  node?: string;
  network?: string;
  json?: boolean;
}

/** What a command runs with: settings, output, prompts and the node client, created on demand. */
export class CommandContext {
  readonly out: Output;
  readonly prompter: Prompter;
  private resolved: ResolvedSettings | undefined;

  constructor(
    readonly io: CliIo,
    readonly globals: GlobalOptions,
  ) {
    this.out = new Output(io, globals.json === true);
    this.prompter = new Prompter(io);
  }

  get settings(): ResolvedSettings {
    this.resolved ??= resolveSettings(
      {
        config: this.globals.config,
        wallet: this.globals.wallet,
        node: this.globals.node,
        network: this.globals.network,
      },
      this.io.env,
    );
    return this.resolved;
  }

  node(): NodeClient {
    const ms = Number(this.io.env.ASTRAM_WALLET_TIMEOUT_MS);
    return new NodeClient(this.settings.nodeUrl, Number.isFinite(ms) && ms > 0 ? { timeoutMs: ms } : {});
  }
}
