import { and, eq, isNull } from "drizzle-orm";
import { idempotencyKeys } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import {
  ABANDONED_AFTER_MS,
  type IdempotencyClaim,
  type IdempotentRequest,
  KEY_TTL_MS,
  type StoredAnswer,
  storedEnvelopeSchema,
} from "./idempotency-keys.ts";

export type ClaimOutcome = { claimed: IdempotencyClaim } | { replay: StoredAnswer };

const ATTEMPTS = 3;

const inProgress = () =>
  new AppError("CONFLICT", "A request with this Idempotency-Key is still in progress. Retry in a moment.", {
    headers: { "Retry-After": "1" },
  });

/**
 * Before an operation runs: claims the caller's key for this request, committed at once, so that a
 * concurrent duplicate finds the claim (409 `CONFLICT`) instead of running the operation too. A
 * key that already has an answer for the same request returns it for replay; a key used with
 * another request is 422 `IDEMPOTENCY_MISMATCH` and changes nothing. An expired key, or a claim
 * abandoned by a request that died, is claimed afresh.
 */
export async function claimIdempotencyKey({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: IdempotentRequest;
}): Promise<ClaimOutcome> {
  const actor = requireActor(ctx);
  const scope = `${input.operation}:${actor.userId}`;
  const { key, fingerprint } = input;
  const thisKey = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
  // Each step is one statement that either wins or sees who did; losing a race means looking again.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = ctx.deps.clock.now();
    const claim = { scope, key, fingerprint, claimedAt: now };
    const fresh = {
      requestHash: fingerprint,
      responseStatus: null,
      responseBody: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + KEY_TTL_MS),
    };
    const inserted = await ctx.db
      .insert(idempotencyKeys)
      .values({ scope, key, ...fresh })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { claimed: claim };

    const [row] = await ctx.db.select().from(idempotencyKeys).where(thisKey).limit(1);
    if (!row) continue; // released since the insert: try again
    const expired = row.expiresAt.getTime() <= now.getTime();
    if (!expired) {
      if (row.requestHash !== fingerprint) {
        throw new AppError(
          "IDEMPOTENCY_MISMATCH",
          "This Idempotency-Key was used with a different request. Use a new key for a new request.",
        );
      }
      if (row.responseStatus !== null) {
        return { replay: { status: row.responseStatus, ...storedEnvelopeSchema.parse(row.responseBody) } };
      }
      if (now.getTime() - row.createdAt.getTime() < ABANDONED_AFTER_MS) throw inProgress();
    }
    // Take over the expired key or the abandoned claim, unless another request just did.
    const taken = await ctx.db
      .update(idempotencyKeys)
      .set(fresh)
      .where(
        and(
          thisKey,
          eq(idempotencyKeys.createdAt, row.createdAt),
          expired ? undefined : isNull(idempotencyKeys.responseStatus),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    if (taken.length > 0) return { claimed: claim };
  }
  throw inProgress();
}
