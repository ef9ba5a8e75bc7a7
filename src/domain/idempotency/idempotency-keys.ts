import { z } from "zod";

/** How long a key keeps its answer; `sweepExpired` deletes it afterwards and the key is free again. */
export const KEY_TTL_MS = 24 * 3_600_000;

/**
 * A claim still pending after this long belongs to a request that died (a crash, a lost
 * connection) and may be taken over. Taking over cannot run an operation twice when the
 * operation records its answer in its own transaction (`recordIdempotentAnswer`): only the claim
 * that is current at commit time can record, and the other transaction rolls back.
 */
export const ABANDONED_AFTER_MS = 60_000;

/** A request that carries an `Idempotency-Key`, as the HTTP layer describes it. */
export interface IdempotentRequest {
  /** The operation, e.g. `bookings.create`: the key is scoped to it and to the signed-in user. */
  operation: string;
  key: string;
  /** A hash of what the request asks (method, path, canonical body): the same key must ask the same. */
  fingerprint: string;
}

/** A key this request holds while it runs: it records the answer or releases the key. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  fingerprint: string;
  /** When the claim was made: it tells this claim from one that took over after it. */
  claimedAt: Date;
}

/** The first successful answer to a key, replayed to every retry. */
export const storedAnswerSchema = z.object({
  status: z.number().int(),
  /** The headers a replay repeats (`Location`). */
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
});

export type StoredAnswer = z.infer<typeof storedAnswerSchema>;

/** `idempotency_keys.response_body` holds the answer's headers and body together. */
export const storedEnvelopeSchema = storedAnswerSchema.omit({ status: true });
