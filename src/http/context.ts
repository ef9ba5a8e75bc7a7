import type { Context } from "hono";
import type { DomainContext } from "../domain/context.ts";
import type { AppEnv } from "./types.ts";

/** The domain context of a request: its database handle, the ports and (when signed in) the actor. */
export function domainContext(c: Context<AppEnv>): DomainContext {
  return { db: c.get("db"), deps: c.get("deps"), actor: c.get("actor") };
}
