import type { CommandContext } from "../cli/context.js";
import { initConfigFile, resolveConfigPath, setConfigValue } from "../config.js";

/** `config view`: the settings in effect and where each comes from. */
export function configViewCommand(ctx: CommandContext): void {
  const s = ctx.settings;
  ctx.out.result(
    {
      config_path: s.configPath,
      config_exists: s.configExists,
      wallet_path: s.walletPath,
      node_rpc_url: s.nodeUrl,
      network: s.network,
      sources: s.sources,
    },
    [
      `config file   ${s.configPath}${s.configExists ? "" : " (not created; defaults apply)"}`,
      `wallet_path   ${s.walletPath}  (${s.sources.wallet_path})`,
      `node_rpc_url  ${s.nodeUrl}  (${s.sources.node_rpc_url})`,
      `network       ${s.network}  (${s.sources.network})`,
    ],
  );
}

function configPath(ctx: CommandContext): string {
  return resolveConfigPath({ config: ctx.globals.config }, ctx.io.env).path;
}

/** `config set KEY VALUE`: writes one key (wallet_path, node_rpc_url or network). */
export function configSetCommand(ctx: CommandContext, key: string, value: string): void {
  const path = configPath(ctx);
  const cfg = setConfigValue(path, ctx.io.env, key, value);
  ctx.out.result(
    { config_path: path, ...cfg },
    `${key} = ${cfg[key as keyof typeof cfg]}  (written to ${path})`,
  );
}

/** `config init [--force]`: writes the defaults. */
export function configInitCommand(ctx: CommandContext, opts: { force?: boolean }): void {
  const path = configPath(ctx);
  const cfg = initConfigFile(path, ctx.io.env, opts.force === true);
  ctx.out.result({ config_path: path, ...cfg }, [
    `Wrote ${path}:`,
    `  wallet_path   ${cfg.wallet_path}`,
    `  node_rpc_url  ${cfg.node_rpc_url}`,
    `  network       ${cfg.network}`,
  ]);
}
