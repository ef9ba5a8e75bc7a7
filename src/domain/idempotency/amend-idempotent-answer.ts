import { and, eq, isNotNull } from "drizzle-orm";
import { idempotencyKeys } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { IdempotencyClaim, StoredAnswer } from "./idempotency-keys.ts";

/**
 * Replaces the answer a claim recorded with a fuller one, learnt after its transaction (a
 * booking's payment, started once the booking committed). Only this claim's own answer changes.
 */
export async function amendIdempotentAnswer({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { claim: IdempotencyClaim; answer: StoredAnswer };
}): Promise<void> {
  const { claim, answer } = input;
  await ctx.db
    .update(idempotencyKeys)
    .set({ responseStatus: answer.status, responseBody: { headers: answer.headers, body: answer.body } })
    .where(
      and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.createdAt, claim.claimedAt),
        isNotNull(idempotencyKeys.responseStatus),
      ),
    );
}
