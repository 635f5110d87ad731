import { randomBytes } from "node:crypto";
import type { Block } from "astram-core";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import type { NodeMetrics } from "../api/metrics.js";
import type { AstramNode } from "../node.js";
import { invalidParams, serverError } from "./errors.js";
import { formatBlock } from "./eth-format.js";
import { ethState } from "./eth-state.js";
import { JsonRpcDispatcher } from "./json-rpc.js";
import { METHODS, type Method } from "./methods.js";
import * as p from "./params.js";

/** WebSocket connections one endpoint serves at once. */
export const MAX_WS_CONNECTIONS = 1000;
/** Subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
/** A client that leaves this much unread is disconnected (it cannot keep up with notifications). */
export const MAX_WS_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * JSON-RPC over WebSocket on the HTTP endpoint's port (an upgrade request to /, as Anvil serves
 * both on 8545): every method, plus eth_subscribe ("newHeads", "newPendingTransactions", "logs")
 * and eth_unsubscribe, whose subscriptions end with the connection.
 */
export function serveWebSocket(
  app: FastifyInstance,
  node: AstramNode,
  metrics: NodeMetrics,
  log: Logger,
  bodyLimit: number,
): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: bodyLimit });
  app.server.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/" || wss.clients.size >= MAX_WS_CONNECTIONS) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, node, metrics, log));
  });
  app.addHook("preClose", async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

/** Each new head's header as JSON text, made once however many subscribers it goes to. */
const headers = new WeakMap<Block, string>();
function headerJson(node: AstramNode, block: Block): string | undefined {
  let json = headers.get(block);
  if (json === undefined) {
    const entry = node.chain.getEntry(block.hash);
    if (!entry) return undefined;
    const { transactions: _t, uncles: _u, ...header } = formatBlock(entry, block, []);
    json = JSON.stringify(header);
    headers.set(block, json);
  }
  return json;
}

function serveConnection(ws: WebSocket, node: AstramNode, metrics: NodeMetrics, log: Logger): void {
  const state = ethState(node);
  const subscriptions = new Map<string, () => void>();
  const sendText = (text: string): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_WS_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  const send = (message: unknown): void => sendText(JSON.stringify(message));
  const notify = (subscription: string, result: unknown) =>
    send({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription, result } });
  /** A notification whose result is already JSON text (a head shared by every subscriber). */
  const notifyJson = (subscription: string, resultJson: string) =>
    sendText(
      `{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"${subscription}","result":${resultJson}}}`,
    );

  const subscribe: Method = (params) => {
    const [kind, filter] = p.paramList(params, 1, 2);
    if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
      throw serverError(`too many subscriptions: at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} per connection`);
    const id = "0x" + randomBytes(16).toString("hex");
    if (kind === "newHeads") {
      if (filter !== undefined) throw invalidParams("newHeads takes no filter");
      const onHead = (block: Block) => {
        const header = headerJson(node, block);
        if (header !== undefined) notifyJson(id, header);
      };
      state.on("head", onHead);
      subscriptions.set(id, () => state.off("head", onHead));
    } else if (kind === "newPendingTransactions") {
      if (filter !== undefined && filter !== false)
        throw invalidParams("full pending transactions are not served");
      const onPending = (hash: string) => notify(id, hash);
      state.on("pending", onPending);
      subscriptions.set(id, () => state.off("pending", onPending));
    } else if (kind === "logs") {
      p.logFilter(filter, "filter");
      subscriptions.set(id, () => {}); // no contract emits logs: nothing will ever be sent
    } else {
      throw invalidParams('subscription: expected "newHeads", "newPendingTransactions" or "logs"');
    }
    return id;
  };
  const unsubscribe: Method = (params) => {
    const [id] = p.paramList(params, 1, 1);
    const stop = subscriptions.get(p.filterId(id, "subscription"));
    if (!stop) return false;
    stop();
    subscriptions.delete(p.filterId(id, "subscription"));
    return true;
  };
  const dispatcher = new JsonRpcDispatcher(
    { ...METHODS, eth_subscribe: subscribe, eth_unsubscribe: unsubscribe },
    { node, metrics },
    log,
  );
  ws.on("message", (data) => {
    const response = dispatcher.handleText(String(data));
    if (response !== undefined) send(response);
  });
  ws.on("close", () => {
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
  });
  ws.on("error", () => ws.terminate());
}
