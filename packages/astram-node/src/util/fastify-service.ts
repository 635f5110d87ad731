import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { NodeMetrics } from "../api/metrics.js";
import type { AstramNode } from "../node.js";

/**
 * The lifecycle shared by the node's HTTP services: build a fastify app, listen (port 0 binds an
 * ephemeral port, read back from `address`), log one line, and close on stop. Subclasses say what
 * they serve.
 */
export abstract class FastifyService {
  abstract readonly name: string;
  private app: FastifyInstance | undefined;
  private bound: AddressInfo | undefined;

  protected constructor(
    protected readonly node: AstramNode,
    protected readonly listenOn: { readonly host: string; readonly port: number },
    readonly metrics: NodeMetrics,
  ) {}

  /** Builds the fastify app without listening (tests may use app.inject). */
  abstract build(): Promise<FastifyInstance>;

  /** The log line (and its fields) once listening. */
  protected abstract listeningMessage(): { fields: Record<string, unknown>; msg: string };

  /** The bound address (after start). */
  get address(): AddressInfo {
    if (!this.bound) throw new Error(`${this.name} is not listening`);
    return this.bound;
  }

  /** "http://127.0.0.1:19533" (after start). */
  get url(): string {
    const a = this.address;
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  async start(): Promise<void> {
    if (this.app) return;
    this.metrics.attach(this.node);
    const app = await this.build();
    try {
      await app.listen({ host: this.listenOn.host, port: this.listenOn.port });
    } catch (e) {
      this.metrics.detach();
      await app.close();
      throw e;
    }
    this.app = app;
    this.bound = app.server.address() as AddressInfo;
    const { fields, msg } = this.listeningMessage();
    this.node.log.info({ service: this.name, url: this.url, ...fields }, msg);
  }

  async stop(): Promise<void> {
    const app = this.app;
    if (!app) return;
    this.app = undefined;
    this.bound = undefined;
    await app.close();
    this.metrics.detach();
  }
}
