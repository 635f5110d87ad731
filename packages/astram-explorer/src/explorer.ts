import type { Logger } from "pino";
import { ApiServer } from "./api/server.js";
import { migrate } from "./db/migrate.js";
import { type ExplorerDatabase, openDatabase } from "./db/open.js";
import { Indexer, type IndexerOptions } from "./indexer/indexer.js";
import { NodeClient } from "./node-client.js";

export interface ExplorerOptions {
  /** The node's HTTP API, e.g. http://127.0.0.1:19533. */
  readonly nodeUrl: string;
  /** A SQLite file path (or ":memory:") or a postgres:// URL. */
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  readonly indexer?: IndexerOptions;
  /** Serve the API and UI (default true); false runs the indexer only. */
  readonly serve?: boolean;
}

/**
 * The explorer process: the database (migrated on open), the indexer following the node and the
 * API + web UI server. start() opens and starts everything; stop() stops the server, then the
 * indexer (finishing the block it writes), then closes the database.
 */
export class Explorer {
  database: ExplorerDatabase | undefined;
  indexer: Indexer | undefined;
  server: ApiServer | undefined;

  constructor(readonly opts: ExplorerOptions) {}

  get url(): string {
    if (!this.server) throw new Error("the explorer is not serving");
    return this.server.url;
  }

  async start(): Promise<void> {
    const { log } = this.opts;
    const database = openDatabase(this.opts.db);
    this.database = database;
    try {
      await migrate(database.db, database.dialect);
      log.info({ db: database.description, dialect: database.dialect }, "database open");
      this.indexer = new Indexer(database.db, new NodeClient(this.opts.nodeUrl), log, this.opts.indexer);
      if (this.opts.serve !== false) {
        this.server = new ApiServer({ db: database.reader, indexer: this.indexer }, this.opts, log);
        await this.server.start();
      }
      await this.indexer.start();
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.indexer?.stop();
    await this.database?.close();
    this.server = undefined;
    this.indexer = undefined;
    this.database = undefined;
  }
}
