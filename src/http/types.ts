import type { Database } from "../db/database.ts";
import type { Actor } from "../domain/context.ts";
import type { Deps } from "../ports.ts";

export interface AppVariables {
  requestId: string;
  deps: Deps;
  /** The request's database handle, opened by the db middleware. */
  db: Database;
  /** The caller's address as the runtime sees it (for rate limits). */
  clientIp: string;
  /** Set by `requireAuth` on protected routes. */
  actor: Actor;
  /** The answer `plainResponse` built, with every common header already in place. */
  plainResponse: Response;
}

export interface AppEnv {
  Variables: AppVariables;
}
