import { eq, fillPlaceholders, is, Placeholder } from "drizzle-orm";
import pg from "pg";
import { postgresDatabase } from "../../src/db/node-postgres.ts";
import { listings } from "../../src/db/schema/index.ts";
import { resolveSearch, searchPositionSchema } from "../../src/domain/listings/search-input.ts";
import { searchQuery } from "../../src/domain/listings/search-query.ts";
import { pricedDaysQuery } from "../../src/domain/listings/search-stay-prices.ts";
import { decodeCursor } from "../../src/http/cursor.ts";
import { searchInputOf, searchQuerySchema } from "../../src/routes/listings/listings.schemas.ts";

/**
 * A floor's requests: the SQL the app runs for each request of its scenario, rendered once before
 * the run by the app's own builder. Statements of one shape share their text, kept once. A search
 * with dates is followed, as in the app, by the read of its page's date prices (`pricedDays`, its
 * values by placeholder name: the page's ids as an array literal, `checkIn` and `checkOut`).
 */
export interface FloorSet {
  texts: string[];
  statements: Array<{ text: number; params: unknown[]; stay?: Stay }>;
  pricedDays: { text: string; names: string[] };
}

interface Stay {
  checkIn: string;
  checkOut: string;
  /** The page's size: the rows after it only tell whether there is a next page. */
  limit: number;
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
  const priced = pricedDaysQuery(db).toSQL();
  const pricedDays = {
    text: priced.sql,
    names: priced.params.map((p) => (is(p, Placeholder) ? p.name : String(p))),
  };
  return {
    render(paths) {
      const texts: string[] = [];
      const indexOf = new Map<string, number>();
      const statements = paths.map((path) => {
        const { sql, params, stay } = statementOf(db, path);
        let text = indexOf.get(sql);
        if (text === undefined) {
          text = texts.push(sql) - 1;
          indexOf.set(sql, text);
        }
        return { text, params, ...(stay ? { stay } : {}) };
      });
      return { texts, statements, pricedDays };
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
): { sql: string; params: unknown[]; stay?: Stay } {
  const url = new URL(path, "http://bench.invalid");
  if (url.pathname === "/v1/listings") {
    const query = searchQuerySchema.parse(Object.fromEntries(url.searchParams));
    const after = query.cursor ? decodeCursor(query.cursor, searchPositionSchema) : undefined;
    // A dated search reads "today" at each listing from the instant it is made: rendered now.
    const search = resolveSearch({ ...searchInputOf(query), after }, new Date());
    const { query: statement, bindings } = searchQuery(db, search);
    const { sql, params } = statement.toSQL();
    const stay = search.stay && {
      checkIn: search.stay.checkIn,
      checkOut: search.stay.checkOut,
      limit: search.limit,
    };
    return { sql, params: fillPlaceholders(params, bindings.values), ...(stay ? { stay } : {}) };
  }
  const id = /^\/v1\/listings\/([^/]+)$/.exec(url.pathname)?.[1];
  if (id) return db.select().from(listings).where(eq(listings.id, id)).limit(1).toSQL();
  throw new Error(`no floor statement for ${path}`);
}
