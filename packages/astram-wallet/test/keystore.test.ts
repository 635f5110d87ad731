import { bytesToHex, hexToBytes } from "astram-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decryptKeystore,
  decryptSecret,
  encryptKeystore,
  encryptSecret,
  KeystoreFormatError,
  WrongPasswordError,
} from "../src/index.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 2079736716;

const TEST_KEY = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

// The two test vectors of the Web3 Secret Storage Definition (password "testpassword").
const PBKDF2_VECTOR = {
  version: 3,
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
    ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    kdf: "pbkdf2",
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: "hmac-sha256",
      salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
    },
    mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
  },
};
const SCRYPT_VECTOR = {
  version: 3,
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
    ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    kdf: "scrypt",
    kdfparams: {
      dklen: 32,
      n: 262144,
      p: 8,
      r: 1,
      salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19",
    },
    mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
  },
};

describe("Web3 Secret Storage v3 keystore", () => {
  it("decrypts the specification's PBKDF2 and scrypt vectors", async () => {
    expect(bytesToHex(await decryptKeystore(PBKDF2_VECTOR, "testpassword"))).toBe(TEST_KEY);
    expect(bytesToHex(await decryptKeystore(SCRYPT_VECTOR, "testpassword"))).toBe(TEST_KEY);
  });

  it("a wrong password is WrongPasswordError (MAC mismatch), not garbage", async () => {
    await expect(decryptKeystore(PBKDF2_VECTOR, "testpassworD")).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it("round-trips a key with geth's layout and the declared address", async () => {
    const key = hexToBytes(TEST_KEY);
    const ks = await encryptKeystore(key, "correct horse", { scryptN: 1024 });
    expect(ks.version).toBe(3);
    expect(ks.address).toBe("008aeeda4d805471df9b2a5b0f38a0c3bcba786b");
    expect(ks.crypto).toMatchObject({
      cipher: "aes-128-ctr",
      kdf: "scrypt",
      kdfparams: { dklen: 32, n: 1024, r: 8, p: 1 },
    });
    expect(ks.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(ks)).not.toContain(TEST_KEY);
    expect(bytesToHex(await decryptKeystore(ks, "correct horse"))).toBe(TEST_KEY);
    await expect(decryptKeystore(ks, "correct horsE")).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it("writes geth's standard scrypt cost by default", async () => {
    const c = await encryptSecret(new Uint8Array(32).fill(7), "pw");
    expect(c.kdfparams).toMatchObject({ n: 262144, r: 8, p: 1 });
  });

  it("refuses a keystore whose key does not match its declared address", async () => {
    const ks = await encryptKeystore(hexToBytes(TEST_KEY), "pw", { scryptN: 1024 });
    const forged = { ...ks, address: "7e5f4552091a69125d5dfcb7b8c2659029395bdf" };
    await expect(decryptKeystore(forged, "pw")).rejects.toBeInstanceOf(KeystoreFormatError);
  });

  it("detects a flipped ciphertext bit as a MAC failure", async () => {
    const c = await encryptSecret(new TextEncoder().encode("secret words"), "pw", { scryptN: 1024 });
    const flipped = { ...c, ciphertext: (c.ciphertext[0] === "0" ? "1" : "0") + c.ciphertext.slice(1) };
    await expect(decryptSecret(flipped, "pw")).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it("refuses unsupported or dangerous parameters before doing any work", async () => {
    const base = SCRYPT_VECTOR.crypto;
    const variants: unknown[] = [
      { ...base, cipher: "aes-128-cbc" },
      { ...base, kdf: "argon2" },
      { ...base, kdfparams: { ...base.kdfparams, n: 1 << 24 } },
      { ...base, kdfparams: { ...base.kdfparams, n: 1000 } },
      { ...base, kdfparams: { ...base.kdfparams, dklen: 16 } },
      { ...base, cipherparams: { iv: "00" } },
      { ...base, mac: "zz" },
      { ...PBKDF2_VECTOR.crypto, kdfparams: { ...PBKDF2_VECTOR.crypto.kdfparams, prf: "hmac-sha512" } },
      { ...PBKDF2_VECTOR.crypto, kdfparams: { ...PBKDF2_VECTOR.crypto.kdfparams, c: 1e9 } },
      null,
      "crypto",
      {},
    ];
    for (const v of variants)
      await expect(decryptSecret(v, "testpassword")).rejects.toBeInstanceOf(KeystoreFormatError);
    await expect(decryptKeystore({ ...SCRYPT_VECTOR, version: 4 }, "x")).rejects.toBeInstanceOf(
      KeystoreFormatError,
    );
  });

  it("garbage keystores fail with KeystoreFormatError or WrongPasswordError only (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (json) => {
        try {
          await decryptKeystore(json, "pw");
          expect.unreachable();
        } catch (e) {
          expect(e instanceof KeystoreFormatError || e instanceof WrongPasswordError).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
