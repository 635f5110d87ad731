import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signTransaction, type Transaction, toChecksumAddress } from "astram-core";
import type { Explorer } from "astram-explorer";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addrA,
  addrB,
  FEE,
  getJson,
  keyA,
  ONE,
  startExplorer,
  startNode,
  type TestNode,
  until,
} from "./helpers.js";

// Screenshots go to test-artifacts/ (ignored); `UPDATE_SCREENSHOTS=1 npm test` refreshes the committed ones.
const SCREENSHOTS = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOTS ? "./screenshots/" : "../test-artifacts/", import.meta.url),
);
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Playwright's innerText is the rendered text (table cells separated), which the assertions read.
// biome-ignore lint/performance/useDomNodeTextContent: this is Playwright's Locator, not a DOM node
const inner = (l: Locator) => l.innerText();
const text = (page: Page, selector: string) => inner(page.locator(selector).first());
const loaded = (page: Page, name: string) =>
  page.waitForSelector(`body[data-page=${name}][data-loaded=true]`);

describe("explorer web UI in headless Chromium against a mining dev node", () => {
  let node: TestNode;
  let explorer: Explorer;
  let url: string;
  let browser: Browser;
  let transfer: Transaction;
  let transferHeight: number;

  beforeAll(async () => {
    node = await startNode({ mine: addrA, keep: true });
    explorer = await startExplorer(node.url, { keep: true });
    url = explorer.url;
    // Once A has mined a few blocks, it pays B 1 ASRM (and the miner keeps mining).
    await until(() => node.node.chain.height >= 4, 20);
    const coin = node.node.store.addressUtxos(addrA)[0]!;
    transfer = signTransaction(
      {
        inputs: [{ txid: coin.txid, vout: coin.vout }],
        outputs: [
          { to: addrB, amount: ONE },
          { to: addrA, amount: coin.amount - ONE - FEE },
        ],
        timestamp: node.node.chain.tip.header.timestamp,
      },
      keyA,
    );
    node.node.submitTransaction(transfer, "http");
    transferHeight = await until(async () => {
      const { status, body } = await getJson(`${url}/api/tx/${transfer.txid}`);
      return status === 200 && body.status === "confirmed" ? (body.block_height as number) : undefined;
    });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await explorer?.stop();
    await node?.stop();
  });

  it("goes home -> block -> transaction -> address through search and links, showing what each page should", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

    // Home: stat cards, latest blocks and transactions, refreshed live.
    await page.goto(`${url}/?interval=300`);
    await loaded(page, "home");
    const height0 = Number((await text(page, "#stat-height")).replace(/,/g, ""));
    expect(height0).toBeGreaterThanOrEqual(transferHeight);
    expect(await text(page, "#stat-supply")).toMatch(/^[\d,]+ ASRM$/);
    expect(await text(page, "#stat-hashrate")).toMatch(/H\/s$/);
    expect(await page.locator("#latest-blocks tbody tr").count()).toBeGreaterThan(3);
    expect(await page.locator("#latest-txs tbody tr").count()).toBeGreaterThan(3);
    await page.waitForFunction(
      (h) => Number(document.querySelector("#stat-height")?.textContent?.replace(/,/g, "")) > h,
      height0,
    );
    await page.screenshot({ path: `${SCREENSHOTS}home.png`, fullPage: true });

    // Search a height -> the block page.
    await page.fill("#search-input", String(transferHeight));
    await page.press("#search-input", "Enter");
    await loaded(page, "block");
    expect(page.url()).toBe(`${url}/block/${transferHeight}`);
    const block = (await getJson(`${url}/api/blocks/${transferHeight}`)).body;
    expect(await text(page, "#block-hash")).toBe(block.hash);
    expect(await text(page, "[data-field=miner] dd")).toBe(addrA);
    expect(await text(page, "[data-field=fees] dd")).toBe("0.001 ASRM");
    expect(await text(page, "[data-field=tx_count] dd")).toBe(String(block.tx_count));
    await page.screenshot({ path: `${SCREENSHOTS}block.png`, fullPage: true });

    // Its transfer -> the transaction page: the input with its source, outputs, fee, confirmations.
    await page.click(`#block-txs a[href="/tx/${transfer.txid}"]`);
    await loaded(page, "tx");
    expect(await text(page, "#tx-id")).toBe(transfer.txid);
    expect(await text(page, "#tx-status")).toBe("Confirmed");
    expect(await text(page, "#tx-fee")).toBe("0.001 ASRM");
    // The fee rate reads in Gwei per byte (10^9 ram), never as a 13-digit count of ram.
    expect(await text(page, "#tx-fee-rate")).toMatch(/^\(\d{1,3}(,\d{3})*(\.\d{1,3})? Gwei\/byte\)$/);
    expect(await text(page, "#tx-amount")).toBe("1 ASRM");
    const input = page.locator("#tx-inputs tbody tr").first();
    expect(await inner(input)).toContain("8 ASRM");
    expect(await input.locator(`a[href="/address/${addrA}"]`).count()).toBe(1);
    expect(await input.locator(`a[href="/tx/${transfer.inputs[0]!.txid}"]`).count()).toBe(1);
    const outputs = page.locator("#tx-outputs tbody tr");
    expect(await outputs.count()).toBe(2);
    expect(await inner(outputs.nth(0))).toMatch(/1 ASRM\s+Unspent/);
    expect(await inner(outputs.nth(1))).toContain("6.999 ASRM");
    expect(await text(page, "#tx-confirmations")).toMatch(/confirmation/);
    await page.screenshot({ path: `${SCREENSHOTS}transaction.png`, fullPage: true });

    // The recipient -> the address page: balance, received, history with the transfer.
    await page.click(`#tx-outputs a[href="/address/${addrB}"]`);
    await loaded(page, "address");
    expect(await text(page, "#addr-id")).toBe(toChecksumAddress(addrB));
    expect(await text(page, "#addr-balance")).toBe("1 ASRM");
    expect(await text(page, "#addr-received")).toBe("1 ASRM");
    expect(await text(page, "#addr-sent")).toBe("0 ASRM");
    expect(await text(page, "#addr-txcount")).toBe("1");
    const row = page.locator("#addr-history tbody tr").first();
    expect(await inner(row)).toContain("+1 ASRM");
    expect(await row.locator(`a[href="/tx/${transfer.txid}"]`).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}address.png`, fullPage: true });

    // Search by Ethereum hash, by txid and by a checksummed address; an unknown hash stays put.
    for (const [q, pageName, path] of [
      [transfer.ethHash, "tx", `/tx/${transfer.txid}`],
      [block.hash, "block", `/block/${block.hash}`],
      [toChecksumAddress(addrA), "address", `/address/${addrA}`],
      [transfer.txid, "tx", `/tx/${transfer.txid}`],
    ] as const) {
      await page.fill("#search-input", q);
      await page.press("#search-input", "Enter");
      await page.waitForURL(url + path);
      await loaded(page, pageName);
    }
    await page.fill("#search-input", "ee".repeat(32));
    await page.press("#search-input", "Enter");
    await page.waitForSelector("#search-message:not([hidden])");
    expect(await text(page, "#search-message")).toMatch(/no block or transaction/);

    // Back goes back through the history.
    await page.goBack();
    await loaded(page, "address");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the mempool, the rich list, charts of block time, difficulty and hashrate, and lists", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(`${url}/richlist`);
    await loaded(page, "richlist");
    const first = await inner(page.locator("#richlist-table tbody tr").first());
    expect(first).toContain(addrA);
    expect(await page.locator(`#richlist-table a[href="/address/${addrB}"]`).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}richlist.png`, fullPage: true });

    await page.click("nav#nav a[data-nav=charts]");
    await loaded(page, "charts");
    for (const id of ["chart-blocktime", "chart-difficulty", "chart-hashrate"])
      expect(Number(await page.locator(`#${id}`).getAttribute("data-points"))).toBeGreaterThan(1);
    // Difficulty is an integer: its axis has whole-number ticks only.
    const ticks = (await page.locator("#chart-difficulty").getAttribute("data-ticks"))!
      .split(",")
      .map(Number);
    expect(ticks).toHaveLength(5);
    for (const t of ticks) expect(Number.isInteger(t)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}charts.png`, fullPage: true });

    await page.click("nav#nav a[data-nav=mempool]");
    await loaded(page, "mempool");
    expect(await text(page, "#mempool-count")).toMatch(/^\d+$/);
    await page.screenshot({ path: `${SCREENSHOTS}mempool.png`, fullPage: true });

    await page.click("nav#nav a[data-nav=blocks]");
    await loaded(page, "blocks");
    expect(await page.locator("#blocks-table tbody tr").count()).toBe(20);
    await page.click(".pager a[data-page='2']");
    await page.waitForURL(`${url}/blocks?page=2`);
    await loaded(page, "blocks");
    await page.click("nav#nav a[data-nav=transactions]");
    await loaded(page, "transactions");
    expect(await page.locator("#transactions-table tbody tr").count()).toBeGreaterThan(3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a phone-sized screen", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "en-US",
    });
    const page = await context.newPage();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.goto(`${url}/`);
    await loaded(page, "home");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}home-phone.png`, fullPage: true });
    await page.goto(`${url}/tx/${transfer.txid}`);
    await loaded(page, "tx");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}transaction-phone.png`, fullPage: true });
    await page.goto(`${url}/address/${addrB}`);
    await loaded(page, "address");
    expect(await overflow()).toBeLessThanOrEqual(0);
    for (const [path, name] of [
      ["/blocks", "blocks"],
      ["/block/1", "block"],
      ["/transactions", "transactions"],
      ["/mempool", "mempool"],
      ["/richlist", "richlist"],
      ["/charts", "charts"],
    ] as const) {
      await page.goto(`${url}${path}`);
      await loaded(page, name);
      expect(await overflow(), path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
