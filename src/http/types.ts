import type { Actor, DomainContext } from "../domain/context.ts";
import type { Deps } from "../ports.ts";

export interface AppVariables {
  requestId: string;
  deps: Deps;
  /** The request's database handle, opened by the db middleware. */
  db: DomainContext["db"];
  /** The caller's address as the runtime sees it (for rate limits). */
  clientIp: string;
  /** Set by `requireAuth` on protected routes. */
  actor: Actor;
  /** The answer carries the common headers already (see plainJson). */
  commonHeaders: boolean;
}

export interface AppEnv {
  Variables: AppVariables;
}
