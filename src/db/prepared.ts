import type { Database } from "./database.ts";

const byDatabase = new WeakMap<Database, Map<string, unknown>>();
const names = new Map<string, string>();

/**
 * The statement for `kind` and `shape` on `db`, prepared by `prepare` the first time it is asked
 * for: the query builder renders it once, and PostgreSQL parses and plans it once per connection.
 * A kind and shape stand for one SQL text. Kept per database handle, so handles that live for one
 * request (Neon on Workers) take their statements with them.
 *
 * `prepare` gets the statement's name: `kind`, then a number this process gives each shape in
 * turn. PostgreSQL keeps names per connection and refuses a name already prepared with another
 * text, so two shapes must never share one, as two hashes of their texts could.
 */
export function preparedStatement<T>(
  db: Database,
  kind: string,
  shape: string,
  prepare: (name: string) => T,
): T {
  const key = `${kind}|${shape}`;
  let statements = byDatabase.get(db);
  if (!statements) {
    statements = new Map();
    byDatabase.set(db, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    let name = names.get(key);
    if (name === undefined) {
      name = `${kind}_${names.size}`;
      names.set(key, name);
    }
    statement = prepare(name);
    statements.set(key, statement);
  }
  return statement;
}
