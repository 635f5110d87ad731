import {
  addressFromPrivateKey,
  checkBlock,
  genesisBlock,
  mineGenesisNonce,
  NETWORKS,
  NetworkConfigError,
  parseAddress,
  randomPrivateKey,
  selectNetwork,
  toChecksumAddress,
} from "astram-core";
import { describe, expect, it } from "vitest";

describe("network parameters", () => {
  it("re-mines every pinned genesis nonce and hash", () => {
    for (const params of Object.values(NETWORKS)) {
      expect(mineGenesisNonce(params.networkId)).toBe(params.genesisNonce);
      const g = genesisBlock(params);
      expect(g.hash).toBe(params.genesisHash);
      expect(() => checkBlock(g, { now: 1_800_000_000, chainId: params.chainId })).not.toThrow();
    }
    const hashes = new Set(Object.values(NETWORKS).map((p) => p.genesisHash));
    expect(hashes.size).toBe(3);
  });

  it("selects networks from the environment as the spec says", () => {
    expect(selectNetwork({}).networkId).toBe("Astram-mainnet");
    expect(selectNetwork({}).chainId).toBe(1);
    expect(selectNetwork({ ASTRAM_NETWORK: "testnet" }).chainId).toBe(8888);
    expect(selectNetwork({ ASTRAM_NETWORK: "TEST" }).networkId).toBe("Astram-testnet");
    expect(selectNetwork({ ASTRAM_NETWORK: "dev" }).chainId).toBe(1337);
    const custom = selectNetwork({
      ASTRAM_NETWORK: "dev",
      ASTRAM_NETWORK_ID: "my-net",
      ASTRAM_CHAIN_ID: "4242",
    });
    expect([custom.networkId, custom.chainId, custom.targetSpacing]).toEqual(["my-net", 4242, 10]);
    expect(custom.genesisHash).not.toBe(NETWORKS.devnet.genesisHash);
    expect(genesisBlock(custom).hash).toBe(custom.genesisHash);
  });

  it("rejects bad values with a clear error", () => {
    expect(() => selectNetwork({ ASTRAM_NETWORK: "moon" })).toThrow(NetworkConfigError);
    expect(() => selectNetwork({ ASTRAM_CHAIN_ID: "abc" })).toThrow(/ASTRAM_CHAIN_ID/);
    expect(() => selectNetwork({ ASTRAM_CHAIN_ID: "0" })).toThrow(/ASTRAM_CHAIN_ID/);
  });
});

describe("addresses", () => {
  it("parses any case, checks EIP-55 when mixed, and rejects garbage", () => {
    const a = addressFromPrivateKey(randomPrivateKey());
    expect(parseAddress(a.toUpperCase().replace("0X", "0x"))).toBe(a);
    expect(parseAddress(toChecksumAddress(a))).toBe(a);
    const cs = toChecksumAddress(a);
    const flipped =
      cs.slice(0, 2) +
      [...cs.slice(2)]
        .map((c, i) =>
          i === 0 || /[0-9]/.test(c) ? c : c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase(),
        )
        .join("");
    if (flipped !== cs && /[a-f]/i.test(cs.slice(2))) expect(() => parseAddress(flipped)).toThrow(/checksum/);
    expect(() => parseAddress("0x123")).toThrow(TypeError);
    expect(() => parseAddress("hello")).toThrow(TypeError);
  });
});
