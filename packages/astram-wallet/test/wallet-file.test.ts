import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bytesToHex, hexToBytes } from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BadWalletFileError,
  createMnemonicWallet,
  createPrivateKeyWallet,
  decryptKeystore,
  encryptKeystore,
  knownAddress,
  NoMnemonicError,
  readWalletFile,
  unlockAccount,
  unlockMnemonic,
  validateWalletFile,
  WalletExistsError,
  WalletNotFoundError,
  WrongPasswordError,
  writeNewWalletFile,
} from "../src/index.js";
import { tempHome } from "./helpers/process.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 424612273;

const HARDHAT = "test test test test test test test test test test test junk";
const KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const opts = { scryptN: 1024 };

describe("wallet file: a v3 keystore of account 0 plus the encrypted recovery phrase", () => {
  it("is a standard v3 keystore (MetaMask/geth import it) holding no plain secret", async () => {
    const w = await createMnemonicWallet(HARDHAT, "password123", opts);
    expect(w.version).toBe(3);
    expect(w.address).toBe("f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    const text = JSON.stringify(w);
    expect(text).not.toContain(KEY0);
    expect(text).not.toContain("junk");
    // Any v3 reader decrypts account 0 from it, ignoring "x-astram".
    expect(bytesToHex(await decryptKeystore(JSON.parse(text), "password123"))).toBe(KEY0);
    expect(await unlockMnemonic(w, "password123")).toBe(HARDHAT);
    const a1 = await unlockAccount(w, "password123", 1);
    expect(a1.address).toBe("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    expect(a1.path).toBe("m/44'/60'/0'/0/1");
    await expect(unlockAccount(w, "wrong password", 0)).rejects.toBeInstanceOf(WrongPasswordError);
    await expect(unlockAccount(w, "wrong password", 3)).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it("written with mode 0600, never over an existing file", async () => {
    const path = join(tempHome(), ".Astram", "wallet.json");
    const w = await createMnemonicWallet(HARDHAT, "password123", opts);
    writeNewWalletFile(path, w);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
    const before = readFileSync(path, "utf8");
    const other = await createPrivateKeyWallet(hexToBytes(KEY0), "password123", opts);
    expect(() => writeNewWalletFile(path, other)).toThrow(WalletExistsError);
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(knownAddress(readWalletFile(path), 0)).toBe("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  });

  it("a private-key wallet has only account 0 and no phrase", async () => {
    const w = await createPrivateKeyWallet(hexToBytes(KEY0), "password123", opts);
    expect(bytesToHex((await unlockAccount(w, "password123", 0)).privateKey)).toBe(KEY0);
    await expect(unlockAccount(w, "password123", 1)).rejects.toBeInstanceOf(NoMnemonicError);
    await expect(unlockMnemonic(w, "password123")).rejects.toBeInstanceOf(NoMnemonicError);
  });

  it("accepts a plain v3 keystore from another tool as a single-key wallet", async () => {
    const path = join(tempHome(), "geth-key.json");
    writeFileSync(path, JSON.stringify(await encryptKeystore(hexToBytes(KEY0), "pw", opts)));
    const w = readWalletFile(path);
    expect(knownAddress(w, 0)).toBe("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    expect(bytesToHex((await unlockAccount(w, "pw", 0)).privateKey)).toBe(KEY0);
  });

  it("missing, unreadable and malformed files give clear errors", () => {
    const dir = tempHome();
    expect(() => readWalletFile(join(dir, "none.json"))).toThrow(WalletNotFoundError);
    writeFileSync(join(dir, "bad.json"), "{not json");
    expect(() => readWalletFile(join(dir, "bad.json"))).toThrow(/not valid JSON/);
    expect(() => readWalletFile(dir)).toThrow(BadWalletFileError);
  });

  it("any JSON is either a valid wallet shape or BadWalletFileError (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          validateWalletFile(json, "w.json");
        } catch (e) {
          expect(e).toBeInstanceOf(BadWalletFileError);
        }
      }),
      { seed: SEED },
    );
  });
});
