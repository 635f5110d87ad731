import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BadConfigError,
  ConfigExistsError,
  initConfigFile,
  readConfigFile,
  resolveSettings,
  setConfigValue,
} from "../src/index.js";
import { tempHome } from "./helpers/process.js";

describe("config: defaults < config file < environment < flags", () => {
  it("defaults live under $HOME/.Astram", () => {
    const home = tempHome();
    const s = resolveSettings({}, { HOME: home });
    expect(s.configPath).toBe(join(home, ".Astram", "config.json"));
    expect(s.walletPath).toBe(join(home, ".Astram", "wallet.json"));
    expect(s.nodeUrl).toBe("http://127.0.0.1:19533");
    expect(s.configExists).toBe(false);
    expect(s.network).toBe("mainnet");
    expect(s.sources).toEqual({
      config_path: "default",
      wallet_path: "default",
      node_rpc_url: "default",
      network: "default",
    });
  });

  it("network: config < ASTRAM_NETWORK < --network, aliases canonical, unknown names refused", () => {
    const home = tempHome();
    const path = join(home, ".Astram", "config.json");
    setConfigValue(path, { HOME: home }, "network", "test");
    expect(readConfigFile(path)?.network).toBe("testnet");
    expect(resolveSettings({}, { HOME: home })).toMatchObject({
      network: "testnet",
      sources: { network: "config" },
    });
    const env = { HOME: home, ASTRAM_NETWORK: "dev" };
    expect(resolveSettings({}, env)).toMatchObject({ network: "devnet", sources: { network: "env" } });
    expect(resolveSettings({ network: "MAIN" }, env)).toMatchObject({
      network: "mainnet",
      sources: { network: "flag" },
    });
    expect(() => resolveSettings({ network: "moon" }, env)).toThrow(BadConfigError);
    expect(() => setConfigValue(path, { HOME: home }, "network", "moon")).toThrow(BadConfigError);
  });

  it("each layer overrides the one below", () => {
    const home = tempHome();
    const cfg = join(home, "c.json");
    writeFileSync(
      cfg,
      JSON.stringify({ wallet_path: "~/w-config.json", node_rpc_url: "http://10.0.0.1:1/" }),
    );
    const env = { HOME: home, ASTRAM_WALLET_CONFIG: cfg };
    let s = resolveSettings({}, env);
    expect(s.sources.config_path).toBe("env");
    expect(s.walletPath).toBe(join(home, "w-config.json"));
    expect(s.nodeUrl).toBe("http://10.0.0.1:1");
    s = resolveSettings(
      {},
      { ...env, ASTRAM_WALLET_PATH: "/tmp/w-env.json", ASTRAM_NODE_RPC_URL: "http://10.0.0.2:2" },
    );
    expect([s.walletPath, s.nodeUrl, s.sources.wallet_path, s.sources.node_rpc_url]).toEqual([
      "/tmp/w-env.json",
      "http://10.0.0.2:2",
      "env",
      "env",
    ]);
    s = resolveSettings(
      { wallet: "/tmp/w-flag.json", node: "http://10.0.0.3:3" },
      { ...env, ASTRAM_WALLET_PATH: "/tmp/w-env.json", ASTRAM_NODE_RPC_URL: "http://10.0.0.2:2" },
    );
    expect([s.walletPath, s.nodeUrl, s.sources.wallet_path]).toEqual([
      "/tmp/w-flag.json",
      "http://10.0.0.3:3",
      "flag",
    ]);
    expect(resolveSettings({ config: join(home, "other.json") }, env).sources.config_path).toBe("flag");
  });

  it("init writes the defaults (0600) and refuses to overwrite without force; set validates", () => {
    const home = tempHome();
    const path = join(home, ".Astram", "config.json");
    const env = { HOME: home };
    expect(initConfigFile(path, env, false)).toEqual({
      wallet_path: join(home, ".Astram", "wallet.json"),
      node_rpc_url: "http://127.0.0.1:19533",
      network: "mainnet",
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => initConfigFile(path, env, false)).toThrow(ConfigExistsError);
    setConfigValue(path, env, "node_rpc_url", "http://127.0.0.1:4000/");
    expect(readConfigFile(path)?.node_rpc_url).toBe("http://127.0.0.1:4000");
    expect(() => setConfigValue(path, env, "node_rpc_url", "ftp://x")).toThrow(BadConfigError);
    expect(() => setConfigValue(path, env, "node_rpc_url", "not a url")).toThrow(BadConfigError);
    expect(() => setConfigValue(path, env, "secret_key", "x")).toThrow(/unknown config key "secret_key"/);
    expect(initConfigFile(path, env, true).node_rpc_url).toBe("http://127.0.0.1:19533");
  });

  it("a broken config file is a clear error", () => {
    const home = tempHome();
    const path = join(home, "c.json");
    for (const text of ["{", "[]", '{"node_rpc_url": 5}', '{"node_rpc_url":"mailto:x"}']) {
      writeFileSync(path, text);
      expect(() => resolveSettings({ config: path }, { HOME: home })).toThrow(BadConfigError);
    }
    writeFileSync(path, '{"node_rpc_url":"http://h:1","extra":true}');
    expect(resolveSettings({ config: path }, { HOME: home }).nodeUrl).toBe("http://h:1");
    expect(readFileSync(path, "utf8")).toContain("extra");
  });
});
