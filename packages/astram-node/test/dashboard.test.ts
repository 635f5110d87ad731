import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AstramNode, attachServices, createLogger, loadConfig, P2pService } from "astram-node";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addrA, tempDir } from "./helpers.js";
import { request, until } from "./service-helpers.js";

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

function devNode(flags: Record<string, string>): AstramNode {
  const { settings } = loadConfig({
    configFile: "/dev/null",
    env: {},
    flags: {
      NETWORK: "dev",
      DATA_DIR: tempDir("astram-dash-"),
      P2P_BIND_ADDR: "127.0.0.1",
      P2P_PORT: "0",
      HTTP_PORT: "0",
      ETH_RPC_PORT: "0",
      ALLOW_PRIVATE_PEERS: "true",
      LOG_LEVEL: "silent",
      ...flags,
    },
  });
  return new AstramNode({ settings, log: createLogger("silent") });
}

// Playwright's innerText is the rendered text (table cells separated), which the assertions read.
// biome-ignore lint/performance/useDomNodeTextContent: this is Playwright's Locator, not a DOM node
const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();
const int = (s: string) => Number(s.replace(/,/g, ""));

describe("dashboard in headless Chromium", () => {
  let miner: AstramNode;
  let peer: AstramNode;
  let api: string;
  let browser: Browser;

  beforeAll(async () => {
    // A mining devnet node with every service, and a second node connected to it over P2P.
    miner = devNode({ MINE: "true", MINER_ADDRESS: addrA, MINER_THREADS: "1" });
    const services = attachServices(miner, { hashrateSampleMs: 250 });
    await miner.start();
    api = services.http.url;
    // The peer runs only P2P. A devnet miner at low difficulty finds blocks many times a second, far
    // above the 10 announcements a minute a peer normally accepts, so this peer accepts more.
    peer = devNode({ BOOTSTRAP_PEERS: `127.0.0.1:${services.p2p.port}` });
    peer.addService(new P2pService(peer, { limits: { blockAnnouncementsPerMinute: 1_000_000 } }));
    await peer.start();
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await peer?.stop();
    await miner?.stop();
  });

  it("shows the node, chain, mining with a hashrate chart, wallet, mempool and peers, and updates live", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${api}/?interval=500`);
    await page.waitForSelector("body[data-loaded=true]");

    expect(await text(page, "network")).toBe("devnet");
    expect(await text(page, "node-version")).toBe("0.1.0");
    expect(await text(page, "chain-id")).toBe("1337 (0x539)");
    expect(await text(page, "wallet-address")).toBe(addrA);
    expect(await text(page, "wallet-balance")).toMatch(/^\d[\d,]*(\.\d+)?$/);
    expect(await text(page, "mempool-count")).toMatch(/^\d+$/);
    expect(await text(page, "sync-state")).toBe("up to date"); // a lone miner has no one to catch up with

    // The shown tip is a real block at the shown height.
    // Read together: a poll between two separate reads could update one and not the other.
    const [shownHeight, tip] = await page.evaluate(() =>
      ["height", "tip-hash"].map((id) => document.getElementById(id)?.textContent ?? ""),
    );
    const height = int(shownHeight!);
    expect(tip).toMatch(/^[0-9a-f]{64}$/);
    const block = await request(`${api}/block/${tip}`);
    expect(block.status).toBe(200);
    expect(block.body.height).toBe(height);

    // Mining: active, a hashrate, and a chart that fills with samples.
    await until(async () => (await text(page, "mining-state")) === "active");
    await until(async () => /^\d+(\.\d+)? [kMG]?H\/s$/.test(await text(page, "hashrate")));
    await until(async () => Number(await page.locator("#hashrate-chart").getAttribute("data-samples")) >= 4);
    const painted = await page.evaluate(() => {
      const c = document.getElementById("hashrate-chart") as HTMLCanvasElement;
      const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(1000);
    // Redraws never resize the layout: the mining card keeps its height while samples arrive.
    const cardHeight = () => page.locator(".card.mining").evaluate((e) => e.getBoundingClientRect().height);
    const before = await cardHeight();
    await page.setViewportSize({ width: 1280, height: 2400 }); // taller than the page
    const samples = Number(await page.locator("#hashrate-chart").getAttribute("data-samples"));
    await until(
      async () => Number(await page.locator("#hashrate-chart").getAttribute("data-samples")) >= samples + 2,
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    await until(
      async () => Number(await page.locator("#hashrate-chart").getAttribute("data-samples")) >= samples + 3,
    );
    expect(await cardHeight()).toBe(before);

    // The peer connected over P2P is listed.
    await until(async () => (await text(page, "peer-count")) === "1");
    await until(async () => /127\.0\.0\.1:\d+\s+in\s+\d+/.test(await text(page, "peers")));

    // Recent blocks, and live updates: the shown height grows while the node mines.
    expect(await page.locator("#recent-blocks tr").count()).toBe(8);
    await until(async () => int(await text(page, "height")) > height);
    expect(int(await text(page, "blocks-found"))).toBeGreaterThan(0);

    // Pause stops polling; resume restarts it.
    await page.click("#pause");
    expect(await text(page, "conn-state")).toBe("paused");
    await page.click("#pause");
    await until(async () => (await text(page, "conn-state")) === "live");

    await page.screenshot({ path: `${SCREENSHOTS}dashboard.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a phone-sized screen without horizontal scrolling", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${api}/?interval=500`);
    await page.waitForSelector("body[data-loaded=true]");
    await until(async () => Number(await page.locator("#hashrate-chart").getAttribute("data-samples")) >= 2);
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      cards: [...document.querySelectorAll(".card")].map((c) => c.getBoundingClientRect().right),
      chart: document.getElementById("hashrate-chart")!.getBoundingClientRect().width,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.cards.length).toBe(7);
    for (const right of layout.cards) expect(right).toBeLessThanOrEqual(390);
    expect(layout.chart).toBeGreaterThan(250);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-phone.png`, fullPage: true });
    await context.close();
  });
  it("follows an inbound peer's height and advances block ages while no block arrives", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${api}/?interval=500`);
    await page.waitForSelector("body[data-loaded=true]");
    // The peer dialled the miner (inbound there) and syncs: its height must move on the open page.
    const peerHeight = async () => {
      const peers = await page.evaluate(() => document.querySelector("#peers")?.textContent ?? "");
      const m = /127\.0\.0\.1:\d+\s*in\s*([\d,]+)/.exec(peers);
      return m ? int(m[1]!) : -1;
    };
    await until(async () => (await peerHeight()) >= 0);
    const first = await peerHeight();
    await until(async () => (await peerHeight()) > first);

    // With mining stopped no block arrives; the newest block's age must still advance.
    await miner.miner?.stop();
    const status = (await (await fetch(`${api}/status`)).json()) as { blockchain: { height: number } };
    const tip = status.blockchain.height;
    const firstRow = (n: number) =>
      page.evaluate(
        (k) => document.querySelector(`#recent-blocks tr td:nth-child(${k})`)?.textContent ?? "",
        n,
      );
    await until(async () => int(await firstRow(1)) === tip);
    const shown = await firstRow(3);
    await until(async () => (await firstRow(3)) !== shown);
    expect(int(await text(page, "height"))).toBe(tip);
    expect(int(await firstRow(1))).toBe(tip);
    await context.close();
  }, 60_000);
});
