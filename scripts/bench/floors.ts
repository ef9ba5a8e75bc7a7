import { eq, fillPlaceholders } from "drizzle-orm";
import pg from "pg";
import { postgresDatabase } from "../../src/db/node-postgres.ts";
import { listings } from "../../src/db/schema/index.ts";
import { resolveSearch, searchPositionSchema } from "../../src/domain/listings/search-input.ts";
import { searchQuery } from "../../src/domain/listings/search-query.ts";
import { decodeCursor } from "../../src/http/cursor.ts";
import { searchInputOf, searchQuerySchema } from "../../src/routes/listings/listings.schemas.ts";

/**
 * A floor's requests: the SQL the app runs for each request of its scenario, rendered once before
 * the run by the app's own builder. Statements of one shape share their text, kept once.
 */
export interface FloorSet {
  texts: string[];
  statements: Array<{ text: number; params: unknown[] }>;
}

export interface FloorRenderer {
  render(paths: string[]): FloorSet;
  close(): Promise<void>;
}

/**
 * Renders with a drizzle handle configured as the app's node-postgres one (postgresDatabase), on
 * a pool that never connects: only `.toSQL()` is called. PGlite's handle renders the same SQL.
 */
export function floorRenderer(): FloorRenderer {
  const pool = new pg.Pool({ max: 1 });
  const db = postgresDatabase(pool);
  return {
    render(paths) {
      const texts: string[] = [];
      const indexOf = new Map<string, number>();
      const statements = paths.map((path) => {
        const { sql, params } = statementOf(db, path);
        let text = indexOf.get(sql);
        if (text === undefined) {
          text = texts.push(sql) - 1;
          indexOf.set(sql, text);
        }
        return { text, params };
      });
      return { texts, statements };
    },
    close: () => pool.end(),
  };
}

/**
 * The statement the app runs for `path`: a search goes through the route's query schema, the
 * cursor decoding and the domain's rules, as the handler does; a listing read is findListing's
 * select (src/domain/listings/listing-store.ts).
 */
function statementOf(
  db: ReturnType<typeof postgresDatabase>,
  path: string,
): { sql: string; params: unknown[] } {
  const url = new URL(path, "http://bench.invalid");
  if (url.pathname === "/v1/listings") {
    const query = searchQuerySchema.parse(Object.fromEntries(url.searchParams));
    const after = query.cursor ? decodeCursor(query.cursor, searchPositionSchema) : undefined;
    const { query: statement, bindings } = searchQuery(db, resolveSearch({ ...searchInputOf(query), after }));
    const { sql, params } = statement.toSQL();
    return { sql, params: fillPlaceholders(params, bindings.values) };
  }
  const id = /^\/v1\/listings\/([^/]+)$/.exec(url.pathname)?.[1];
  if (id) return db.select().from(listings).where(eq(listings.id, id)).limit(1).toSQL();
  throw new Error(`no floor statement for ${path}`);
}
