import type { Database } from "../db/database.ts";
import type { Deps } from "../ports.ts";

/** What every domain verb receives besides its input: the database handle and the ports. */
export interface DomainContext {
  db: Database;
  deps: Deps;
}
