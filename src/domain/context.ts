import type { Database } from "../db/database.ts";
import type { Deps } from "../ports.ts";

/** Who is asking, once their access token has been checked against a live session. */
export interface Actor {
  userId: string;
  sessionId: string;
  isAdmin: boolean;
}

/** What every domain verb receives besides its input: the database handle, the ports, the actor. */
export interface DomainContext {
  db: Database;
  deps: Deps;
  actor?: Actor | undefined;
}

export type Verb<I, O> = (args: { ctx: DomainContext; input: I }) => Promise<O>;
