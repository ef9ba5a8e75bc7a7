import type { Config } from "./config.ts";
import type { DatabasePort } from "./db/database.ts";
import type { Mailer } from "./ports/mail.ts";
import type { Payments } from "./ports/payments.ts";

/** Everything that differs between runtimes (DESIGN §1). Domain code sees only these types. */
export interface Deps {
  config: Config;
  database: DatabasePort;
  cache: Cache;
  rateLimiter: RateLimiter;
  calendarLock: CalendarLock;
  jobs: Jobs;
  mailer: Mailer;
  payments: Payments;
  outbound: Outbound;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** The caller's IP address: `cf-connecting-ip` on Workers, the socket (or a trusted proxy's header) on Node. */
  clientIp(request: Request, env: unknown): string;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new unique, roughly time-ordered id (UUIDv7). */
  next(): string;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/**
 * Cache-aside store for public reads (listings, search answers). Values are JSON-serialisable and
 * read-only: a caller never changes a value after `set`, nor one it got (the in-process adapter
 * shares them). A value is never served after its TTL, however short; a `get` may miss earlier
 * (an adapter may evict any value).
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  /** When the caller may try again, in epoch milliseconds. */
  resetAt: number;
}

export interface RateLimiter {
  check(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/**
 * Serialises date holds per listing: the ListingCalendar Durable Object on Workers, a mutex in
 * process on Node. The database exclusion constraint stays the final guarantee if the lock is
 * bypassed or lost.
 */
export interface CalendarLock {
  withLock<T>(listingId: string, work: () => Promise<T>): Promise<T>;
  /**
   * A hold on the listing runs out at `at`: expire it then (a Durable Object alarm on Workers).
   * The periodic tick expires holds on every runtime anyway; this only makes it punctual.
   */
  wakeAt(listingId: string, at: Date): Promise<void>;
}

export interface Job {
  /** The same on every delivery of one message (the outbox id): consumers recognise a repeat by it. */
  id?: string;
  topic: string;
  payload: unknown;
}

export type JobHandler = (job: Job, deps: Deps) => Promise<void>;

/** Background work: Queues on Workers, an in-process queue on Node. */
export interface Jobs {
  enqueue(job: Job): Promise<void>;
}

/**
 * Requests to servers on the internet: the calendar feeds hosts import. The domain checks every
 * URL and every hop before it asks (src/domain/calendar-sync/feed-target.ts).
 */
export interface Outbound {
  /** One request; never follows a redirect (the caller checks where it leads first). */
  fetch(url: string, init: { headers: Record<string, string>; signal: AbortSignal }): Promise<Response>;
  /**
   * Every address `hostname` resolves to, on Node. Undefined on Workers, which cannot resolve
   * names, and need not: Cloudflare's fetch never reaches a private network.
   */
  resolve(hostname: string): Promise<string[] | undefined>;
}

/** The outbound port would not connect: the host resolved to an address that is not public. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefusedError";
  }
}

export * from "./ports/mail.ts";
export * from "./ports/payments.ts";
