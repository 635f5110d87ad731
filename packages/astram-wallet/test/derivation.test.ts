import { bytesToHex } from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BadIndexError,
  BadMnemonicError,
  BadPrivateKeyError,
  BadSecretError,
  createMnemonic,
  deriveAccount,
  isValidMnemonic,
  mnemonicSeed,
  normalizeMnemonic,
  parseAccountIndex,
  parseImportedSecret,
  parseMnemonic,
  parsePrivateKey,
} from "../src/index.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 1604846405;

// Hardhat's and Foundry's default development phrase: the accounts every Ethereum tool shows.
const HARDHAT = "test test test test test test test test test test test junk";
// The all-"abandon" BIP39 vector.
const ABANDON =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("BIP39 + BIP44 derivation on m/44'/60'/0'/0/i (same addresses as MetaMask)", () => {
  it("the Hardhat phrase gives the Hardhat accounts (address and private key)", () => {
    const seed = mnemonicSeed(HARDHAT);
    const a0 = deriveAccount(seed, 0);
    expect(a0.path).toBe("m/44'/60'/0'/0/0");
    expect(a0.address).toBe("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    expect(bytesToHex(a0.privateKey)).toBe(
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    );
    const a1 = deriveAccount(seed, 1);
    expect(a1.address).toBe("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    expect(bytesToHex(a1.privateKey)).toBe(
      "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    );
    expect(deriveAccount(seed, 2).address).toBe("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
  });

  it("the abandon…about vector: BIP39 seed and first Ethereum address", () => {
    expect(bytesToHex(mnemonicSeed(ABANDON))).toBe(
      "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4",
    );
    expect(deriveAccount(ABANDON, 0).address).toBe("0x9858effd232b4033e47d90003d41ec34ecaeda94");
  });

  it("accepts a phrase typed with extra spaces and capitals", () => {
    const typed = `  ${HARDHAT.toUpperCase().split(" ").join("   ")}\n`;
    expect(normalizeMnemonic(typed)).toBe(HARDHAT);
    expect(deriveAccount(typed, 0).address).toBe("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  });

  it("new phrases are valid 12- or 24-word phrases and differ each time", () => {
    const a = createMnemonic();
    const b = createMnemonic(24);
    expect(a.split(" ")).toHaveLength(12);
    expect(b.split(" ")).toHaveLength(24);
    expect(isValidMnemonic(a) && isValidMnemonic(b)).toBe(true);
    expect(createMnemonic()).not.toBe(a);
  });

  it("explains what is wrong with a bad phrase", () => {
    expect(() => parseMnemonic("abandon ".repeat(12))).toThrow(/checksum/);
    expect(() => parseMnemonic("abandon abandon")).toThrow(/2 words/);
    expect(() => parseMnemonic(HARDHAT.replace("junk", "junkk"))).toThrow(/not in the English/);
    expect(() => parseMnemonic("")).toThrow(BadMnemonicError);
  });

  it("account indexes are 0 … 2^31-1", () => {
    expect(parseAccountIndex("0")).toBe(0);
    expect(parseAccountIndex("2147483647")).toBe(2147483647);
    for (const bad of ["-1", "2147483648", "1.5", "0x1", "", "one", " 1e3"]) {
      expect(() => parseAccountIndex(bad)).toThrow(BadIndexError);
    }
    expect(() => deriveAccount(HARDHAT, -1)).toThrow(BadIndexError);
  });

  it("derivation is deterministic and indexes give distinct addresses (property)", () => {
    const seed = mnemonicSeed(HARDHAT);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 0x7fffffff }),
        (i, j) => {
          const a = deriveAccount(seed, i).address;
          expect(deriveAccount(seed, i).address).toBe(a);
          if (i !== j) expect(deriveAccount(seed, j).address).not.toBe(a);
        },
      ),
      { seed: SEED, numRuns: 20 },
    );
  });
});

describe("import input: recovery phrase or private key", () => {
  it("recognises a private key with or without 0x, in any case", () => {
    const key = "AC0974BEC39A17E36BA4A6B4D238FF944BACB478CBED5EFCAE784D7BF4F2FF80";
    for (const text of [key, `0x${key}`, key.toLowerCase(), `  0x${key.toLowerCase()}  `]) {
      const s = parseImportedSecret(text);
      expect(s.kind).toBe("private-key");
      if (s.kind === "private-key") expect(bytesToHex(s.privateKey)).toBe(key.toLowerCase());
    }
  });

  it("recognises a phrase", () => {
    expect(parseImportedSecret(HARDHAT)).toEqual({ kind: "mnemonic", mnemonic: HARDHAT });
  });

  it("rejects zero, the group order and garbage", () => {
    expect(() => parsePrivateKey("0".repeat(64))).toThrow(BadPrivateKeyError);
    expect(() => parsePrivateKey("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")).toThrow(
      BadPrivateKeyError,
    );
    expect(() => parseImportedSecret("hello")).toThrow(BadSecretError);
    expect(() => parseImportedSecret("zz".repeat(32))).toThrow(BadSecretError);
  });

  it("any string either parses or throws a wallet error (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          parseImportedSecret(s);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^BAD_(MNEMONIC|PRIVATE_KEY|SECRET)$/);
        }
      }),
      { seed: SEED },
    );
  });
});
