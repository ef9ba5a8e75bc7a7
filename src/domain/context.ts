import { is } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
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

/**
 * Runs `work` in one transaction, with a context whose `db` is that transaction, so nothing inside
 * can reach the outer handle (on PGlite that would wait forever). Inside a transaction already, it
 * runs in that one. Never call the network (Stripe, e-mail) from `work`.
 */
export function withTransaction<T>(ctx: DomainContext, work: (ctx: DomainContext) => Promise<T>): Promise<T> {
  if (is(ctx.db, PgTransaction)) return work(ctx);
  return ctx.db.transaction((tx) => work({ ...ctx, db: tx }));
}
