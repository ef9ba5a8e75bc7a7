import type { Database } from "./database.ts";

const byDatabase = new WeakMap<Database, Map<string, unknown>>();

/**
 * The statement of `shape` on `db`, made by `prepare` the first time it is asked for: the query
 * builder renders a statement once per database handle, not once per execution (the rendering
 * cost a search more than the database did). Handles that live for one request (Neon on Workers)
 * take their statements with them.
 *
 * `prepare` must prepare without a name (`query.prepare("")`): PostgreSQL then still plans every
 * execution for its values, where a named statement may settle on a generic plan that ignores them.
 */
export function renderedOnce<T>(db: Database, shape: string, prepare: () => T): T {
  let statements = byDatabase.get(db);
  if (!statements) {
    statements = new Map();
    byDatabase.set(db, statements);
  }
  let statement = statements.get(shape) as T | undefined;
  if (statement === undefined) {
    statement = prepare();
    statements.set(shape, statement);
  }
  return statement;
}
