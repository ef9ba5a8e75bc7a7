import type { Actor, DomainContext } from "../domain/context.ts";
import type { IdempotencyClaim } from "../domain/idempotency/idempotency-keys.ts";
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
  /** The request's claim on its `Idempotency-Key` (see middleware/idempotency.ts). */
  idempotency: IdempotencyClaim & { recorded: boolean };
}

export interface AppEnv {
  Variables: AppVariables;
}
