import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { registerWebUi } from "../web/web-ui.js";
import type { ApiContext } from "./context.js";
import { installErrorHandlers } from "./errors.js";
import { addressRoutes } from "./routes/addresses.js";
import { blockRoutes } from "./routes/blocks.js";
import { chainRoutes } from "./routes/chain.js";
import { transactionRoutes } from "./routes/transactions.js";

export interface ApiServerOptions {
  readonly host: string;
  /** 0 binds a free port (read it back from `url`). */
  readonly port: number;
}

/** The explorer's HTTP server: the JSON API under /api and the web UI, in one fastify app. */
export class ApiServer {
  readonly name = "api";
  private app: FastifyInstance | undefined;
  private bound: AddressInfo | undefined;

  constructor(
    private readonly ctx: ApiContext,
    private readonly opts: ApiServerOptions,
    private readonly log: Logger,
  ) {}

  get url(): string {
    const a = this.bound;
    if (!a) throw new Error("the explorer API is not listening");
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Builds the app without listening (tests may use app.inject). */
  async build(): Promise<FastifyInstance> {
    const app = Fastify({
      logger: false,
      forceCloseConnections: true,
      ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    });
    installErrorHandlers(app);
    app.addHook("onRequest", async (req, reply) => {
      if (req.url.startsWith("/api/")) reply.header("access-control-allow-origin", "*");
    });
    blockRoutes(app, this.ctx);
    transactionRoutes(app, this.ctx);
    addressRoutes(app, this.ctx);
    chainRoutes(app, this.ctx);
    await registerWebUi(app);
    return app;
  }

  async start(): Promise<void> {
    if (this.app) return;
    const app = await this.build();
    try {
      await app.listen({ host: this.opts.host, port: this.opts.port });
    } catch (e) {
      await app.close();
      throw e;
    }
    this.app = app;
    this.bound = app.server.address() as AddressInfo;
    this.log.info({ service: this.name, url: this.url }, "explorer web UI and API listening");
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    this.bound = undefined;
    await app?.close();
  }
}
