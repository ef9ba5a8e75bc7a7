import type { Database } from "../db/database.ts";
import type { Deps } from "../ports.ts";

export interface AppVariables {
  requestId: string;
  deps: Deps;
  /** The request's database handle, opened by the db middleware. */
  db: Database;
}

export interface AppEnv {
  Variables: AppVariables;
}
