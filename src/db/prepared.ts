import type { Database } from "./database.ts";

const byDatabase = new WeakMap<Database, Map<string, unknown>>();

/**
 * The statement `key` on `db`, prepared by `prepare` the first time it is asked for: the query
 * builder renders it once, and PostgreSQL parses and plans it once per connection. A key stands
 * for one SQL text. Kept per database handle, so handles that live for one request (Neon on
 * Workers) take their statements with them.
 */
export function preparedStatement<T>(db: Database, key: string, prepare: () => T): T {
  let statements = byDatabase.get(db);
  if (!statements) {
    statements = new Map();
    byDatabase.set(db, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = prepare();
    statements.set(key, statement);
  }
  return statement;
}
