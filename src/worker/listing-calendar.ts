import { DurableObject } from "cloudflare:workers";
import type { AlarmInvocationInfo, DurableObjectState, SqlStorage } from "@cloudflare/workers-types/index.ts";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { type Database, withDatabase } from "../db/database.ts";
import { bookings } from "../db/schema/index.ts";
import { settleBookings } from "../domain/bookings/settle-bookings.ts";
import { postgresCode } from "../lib/postgres-errors.ts";
import type { Deps } from "../ports.ts";
import type { WorkerEnv } from "../worker-env.ts";
import { buildWorker } from "./build.ts";

/** The longest lease a caller may ask for: a holder that died keeps the listing no longer than this. */
const MAX_LEASE_MS = 30_000;

/**
 * One per listing (`idFromName(listingId)`), DESIGN §3. It does two things:
 *
 * - It serialises date holds: `acquire()` hands the listing's lock to one caller at a time, in
 *   arrival order, across every isolate, and the caller runs its database transaction in the
 *   Worker before `release()`. Conflicting requests are thus answered at the edge, one after the
 *   other, and the database never sees them race; its exclusion constraint stays the final
 *   guarantee. The lock lives in memory: it only matters for the seconds a booking takes, and if
 *   the object restarts the next booking simply reaches the database first.
 * - It expires holds on time: `wakeAt()` records when a hold runs out (SQLite storage) and keeps
 *   the alarm on the earliest such time; `alarm()` settles the listing's bookings. The database is
 *   the source of truth: with nothing recorded, the object asks it for the next hold (`rebuild()`).
 *   The periodic tick settles every listing anyway; this only makes expiry punctual.
 */
export class ListingCalendar extends DurableObject<WorkerEnv> {
  private holder: { token: string; expiry: ReturnType<typeof setTimeout> } | undefined;
  private readonly waiting: Array<{ leaseMs: number; grant: (token: string) => void }> = [];
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // The listing this object serves: alarms on a cold object do not always carry `ctx.id.name`.
    this.sql.exec("CREATE TABLE IF NOT EXISTS listing (id TEXT PRIMARY KEY)");
    // Epoch milliseconds at which some hold runs out.
    this.sql.exec("CREATE TABLE IF NOT EXISTS wake (at INTEGER PRIMARY KEY)");
  }

  /**
   * Resolves with a lease token once the caller holds the lock, waiters served in arrival order.
   * The lease ends at `release(token)`, or after `leaseMs` (at most MAX_LEASE_MS) if the holder
   * never releases it, so a crashed isolate cannot wedge the listing.
   */
  acquire(leaseMs: number): Promise<string> {
    const bounded = Number.isFinite(leaseMs) ? Math.min(Math.max(leaseMs, 1), MAX_LEASE_MS) : MAX_LEASE_MS;
    return new Promise((grant) => {
      this.waiting.push({ leaseMs: bounded, grant });
      this.grantNext();
    });
  }

  /** Ends the lease; false when it had run out already (the lock has moved on, and stays where it is). */
  release(token: string): boolean {
    if (this.holder?.token !== token) return false;
    clearTimeout(this.holder.expiry);
    this.holder = undefined;
    this.grantNext();
    return true;
  }

  /** A hold on `listingId` runs out at `at` (epoch ms): settle the listing then. */
  async wakeAt(listingId: string, at: number): Promise<void> {
    this.remember(listingId);
    this.sql.exec("INSERT OR IGNORE INTO wake (at) VALUES (?)", at);
    await this.arm();
  }

  /**
   * Forgets what it recorded and arms the alarm for the listing's next hold expiry in the
   * database. Returns that time (epoch ms), or null when nothing is held.
   */
  async rebuild(listingId: string): Promise<number | null> {
    this.remember(listingId);
    this.sql.exec("DELETE FROM wake");
    return this.withDeps((db, now) => this.recordNextHold(db, listingId, now));
  }

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    const listingId = this.listingId();
    if (!listingId) return;
    await this.withDeps(async (db, now, deps) => {
      try {
        await settleBookings({ ctx: { db, deps }, input: { listingId } });
        this.sql.exec("DELETE FROM wake WHERE at <= ?", now.getTime());
        // Nothing left recorded (or the records were lost): the database knows of any hold still running.
        if (this.nextWake() === null) await this.recordNextHold(db, listingId, now);
      } catch (error) {
        // A database error's message holds the query's values: log its name and SQLSTATE only, and
        // throw so that the runtime retries the alarm (with backoff).
        const name = error instanceof Error ? error.name : "unknown";
        const fields = {
          listingId,
          error: name,
          sqlstate: postgresCode(error),
          retry: info?.retryCount ?? 0,
        };
        deps.logger.log("warn", "calendar.alarm_failed", fields);
        throw new Error(`settling listing ${listingId} failed (${name})`);
      }
    });
  }

  private grantNext(): void {
    if (this.holder) return;
    const next = this.waiting.shift();
    if (!next) return;
    const token = crypto.randomUUID();
    this.holder = { token, expiry: setTimeout(() => this.release(token), next.leaseMs) };
    next.grant(token);
  }

  private remember(listingId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO listing (id) VALUES (?)", listingId);
  }

  private listingId(): string | undefined {
    const [row] = this.sql.exec<{ id: string }>("SELECT id FROM listing LIMIT 1").toArray();
    return row?.id ?? this.ctx.id.name;
  }

  private nextWake(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM wake").one().at;
  }

  /** Keeps the alarm on the earliest recorded wake, or clears it when there is none. */
  private async arm(): Promise<void> {
    const at = this.nextWake();
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  /** Records the listing's next hold expiry after `now` from the database, and arms the alarm. */
  private async recordNextHold(db: Database, listingId: string, now: Date): Promise<number | null> {
    const [next] = await db
      .select({ holdExpiresAt: bookings.holdExpiresAt })
      .from(bookings)
      .where(
        and(
          eq(bookings.listingId, listingId),
          inArray(bookings.status, ["requested", "pending_payment"]),
          gt(bookings.holdExpiresAt, now),
        ),
      )
      .orderBy(asc(bookings.holdExpiresAt))
      .limit(1);
    const at = next?.holdExpiresAt?.getTime() ?? null;
    if (at !== null) this.sql.exec("INSERT OR IGNORE INTO wake (at) VALUES (?)", at);
    await this.arm();
    return at;
  }

  private async withDeps<T>(work: (db: Database, now: Date, deps: Deps) => Promise<T>): Promise<T> {
    const built = buildWorker(this.env);
    if ("error" in built) throw built.error;
    const { deps } = built;
    return withDatabase(deps.database, (db) => work(db, deps.clock.now(), deps));
  }
}
