import { minFee } from "astram-core";
import { type Hex, parseEther, parseGwei } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addrB } from "./helpers.js";
import { BASE_FEE, CHAIN_ID, fundedAccount, QUOTED_PRICE, q, walletNode } from "./rpc-helpers.js";
import { rpcCall, type TestNode } from "./service-helpers.js";

let t: TestNode;
let mine: () => void;
beforeAll(async () => {
  ({ t, mine } = await walletNode());
});
afterAll(() => t.stop());

const call = async (method: string, params: unknown[] = []) => rpcCall(t.eth, method, params);

describe("Ethereum JSON-RPC fees: the estimate pays what the node requires", () => {
  it("quotes eth_gasPrice = baseFeePerGas + eth_maxPriorityFeePerGas and answers eth_feeHistory", async () => {
    expect((await call("eth_gasPrice")).result).toBe(q(QUOTED_PRICE));
    expect((await call("eth_maxPriorityFeePerGas")).result).toBe(q(QUOTED_PRICE - BASE_FEE));
    const block = (await call("eth_getBlockByNumber", ["latest", false])).result;
    expect(block.baseFeePerGas).toBe(q(BASE_FEE));
    const history = (await call("eth_feeHistory", ["0x2", "latest", [25, 75]])).result;
    expect(history).toEqual({
      oldestBlock: q(Number(BigInt(block.number)) - 1),
      baseFeePerGas: [q(BASE_FEE), q(BASE_FEE), q(BASE_FEE)],
      gasUsedRatio: [0, 0],
      reward: [
        [q(QUOTED_PRICE - BASE_FEE), q(QUOTED_PRICE - BASE_FEE)],
        [q(QUOTED_PRICE - BASE_FEE), q(QUOTED_PRICE - BASE_FEE)],
      ],
    });
    for (const bad of [
      ["0x0", "latest"],
      ["0x2", "latest", [50, 10]],
      ["0x2", "nope"],
      ["0x401", "latest"],
    ])
      expect((await call("eth_feeHistory", bad)).error.code).toBe(-32602);
  });

  it("estimates the gas of an 11-input transfer from 12 outputs of 0.01 ASRM; following it is never underpriced", async () => {
    const account = fundedAccount(t, 12, parseEther("0.01"));
    const from = account.address;
    const value = parseEther("0.1");
    const gas = BigInt((await call("eth_estimateGas", [{ from, to: addrB, value: q(value) }])).result);
    expect(gas).toBeGreaterThan(21_000n);

    // The old answer (21,000 gas) at the quoted price is refused: the node's fee rule counts inputs.
    const cheap = await account.signTransaction({
      type: "legacy",
      chainId: CHAIN_ID,
      nonce: 0,
      to: addrB as Hex,
      value,
      gas: 21_000n,
      gasPrice: QUOTED_PRICE,
    });
    expect((await call("eth_sendRawTransaction", [cheap])).error.message).toMatch(/^transaction underpriced/);

    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: CHAIN_ID,
      nonce: 0,
      to: addrB as Hex,
      value,
      gas,
      maxFeePerGas: QUOTED_PRICE,
      maxPriorityFeePerGas: QUOTED_PRICE - BASE_FEE,
    });
    const sent = await call("eth_sendRawTransaction", [raw]);
    expect(sent.error?.message).toBeUndefined();
    const entry = t.node.mempool.getByEthHash(sent.result)!;
    expect(entry.tx.inputs).toHaveLength(11);
    const required = minFee(entry.size);
    expect(entry.fee).toBeGreaterThanOrEqual(required);
    // Exact up to the raw transaction's encoding slack (r and s may be shorter than 32 bytes).
    expect(entry.fee - required).toBeLessThan(required / 100n);
    mine();
    expect(t.node.mempool.size).toBe(0);
  });

  it("fails like geth when value or value + fee exceeds the balance", async () => {
    const account = fundedAccount(t, 2, parseEther("0.01"));
    const from = account.address;
    const over = await call("eth_estimateGas", [{ from, to: addrB, value: q(parseEther("0.03")) }]);
    expect(over.error).toEqual({
      code: -32000,
      message: expect.stringMatching(/^insufficient funds for transfer/),
    });
    const all = await call("eth_estimateGas", [{ from, to: addrB, value: q(parseEther("0.02")) }]);
    expect(all.error).toEqual({
      code: -32000,
      message: expect.stringMatching(/^insufficient funds for gas \* price \+ value/),
    });
  });

  it("accepts a cancel (value 0 to self): its only output is the change", async () => {
    const account = fundedAccount(t, 1, parseEther("0.01"));
    const from = account.address;
    const gas = BigInt((await call("eth_estimateGas", [{ from, to: from, value: "0x0" }])).result);
    expect(gas).toBe(21_000n);
    const raw = await account.signTransaction({
      type: "legacy",
      chainId: CHAIN_ID,
      nonce: 0,
      to: from,
      value: 0n,
      gas,
      gasPrice: parseGwei("13"),
    });
    const sent = await call("eth_sendRawTransaction", [raw]);
    expect(sent.error).toBeUndefined();
    const entry = t.node.mempool.getByEthHash(sent.result)!;
    expect(entry.tx.outputs).toEqual([
      { to: from.toLowerCase(), amount: parseEther("0.01") - gas * parseGwei("13") },
    ]);
    mine();
    expect((await call("eth_getTransactionReceipt", [sent.result])).result.status).toBe("0x1");
  });
});
