import type { Config } from "./config.ts";
import type { DatabasePort } from "./db/database.ts";

/** Everything that differs between runtimes (DESIGN §1). Domain code sees only these types. */
export interface Deps {
  config: Config;
  database: DatabasePort;
  cache: Cache;
  rateLimiter: RateLimiter;
  calendarLock: CalendarLock;
  jobs: Jobs;
  mailer: Mailer;
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

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Outgoing e-mail. Delivered from the outbox by a job, never inside a request's transaction. A
 * message sent again with the same `idempotencyKey` is delivered once.
 */
export interface Mailer {
  send(message: MailMessage, options?: { idempotencyKey?: string | undefined }): Promise<void>;
}
