import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Replays for `Idempotency-Key`: the first response to (scope, key) is kept and returned again;
 * the same key with a different request fingerprint is refused.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_keys_expires_at_idx").on(t.expiresAt),
  ],
);

/**
 * Messages written in the same transaction as the change that causes them; the jobs port drains
 * them. A drain leases a message (`lockedUntil`) while it hands it over, and marks it processed
 * only once the jobs port has it: a drain that dies half-way leaves the lease to run out, and the
 * next drain hands the message over again.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    availableAt: timestamp("available_at", { withTimezone: true, mode: "date" }).notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true, mode: "date" }),
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("outbox_pending_idx").on(t.availableAt).where(sql`${t.processedAt} is null`),
    // The sweep of messages handed over long ago (sweepExpired).
    index("outbox_processed_idx").on(t.processedAt).where(sql`${t.processedAt} is not null`),
  ],
);
