import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

export interface ExplorerDatabase {
  /** The indexer's connection (writes). */
  readonly db: Kysely<Database>;
  /**
   * The API's connection: on a SQLite file a second, read-only connection, so that in WAL mode pages
   * are served from the last commit while the indexer writes; otherwise `db` itself (PostgreSQL
   * pools connections; an in-memory SQLite database has only one).
   */
  readonly reader: Kysely<Database>;
  readonly dialect: DialectName;
  /** The location without credentials (for logs). */
  readonly description: string;
  close(): Promise<void>;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** "postgres://user:secret@host/db" -> "postgres://user:***@host/db". */
export function redactUrl(location: string): string {
  try {
    const u = new URL(location);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return location;
  }
}

/**
 * Opens the database the explorer indexes into: a `postgres://` / `postgresql://` URL selects
 * PostgreSQL (through a pg pool), anything else is a SQLite file path (created with its directory;
 * `:memory:` for a throwaway database). Both run the same Kysely queries.
 */
export function openDatabase(location: string): ExplorerDatabase {
  if (isPostgresUrl(location)) {
    // BIGINT (oid 20) and NUMERIC (1700) come back as numbers: heights, counts and timestamps fit.
    const pool = new pg.Pool({
      connectionString: location,
      max: 8,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === 20
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client's error (server restart) must not crash the process; the next query reports it.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      reader: db,
      dialect: "postgres",
      description: redactUrl(location),
      close: () => db.destroy(),
    };
  }
  if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
  const sqlite = new BetterSqlite3(location);
  // WAL: readers never block the writer; NORMAL sync keeps every commit atomic (a killed process
  // loses nothing committed; a power loss may lose the last commits, which are re-indexed).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (location === ":memory:")
    return { db, reader: db, dialect: "sqlite", description: location, close: () => db.destroy() };
  // The reader opens lazily (after migrate() has created the file's tables).
  const reader = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: async () => {
        const r = new BetterSqlite3(location, { readonly: true });
        r.pragma("cache_size = -32768");
        return r;
      },
    }),
  });
  return {
    db,
    reader,
    dialect: "sqlite",
    description: location,
    close: async () => {
      await reader.destroy();
      await db.destroy();
    },
  };
}
