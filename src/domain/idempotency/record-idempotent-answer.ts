import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { idempotencyKeys } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { IdempotencyClaim, StoredAnswer } from "./idempotency-keys.ts";

/**
 * Stores the answer a claimed key replays from now on. Call it inside the operation's own
 * transaction (`ctx.db` the transaction), so that the change and its replay commit together.
 * False when the claim is no longer this request's (another request took it over, or finished
 * first): the caller must then roll back rather than commit the operation a second time.
 * `replace`: the claim recorded its answer already, and a fuller one, learnt after its
 * transaction (a booking's payment), takes its place.
 */
export async function recordIdempotentAnswer({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { claim: IdempotencyClaim; answer: StoredAnswer; replace?: boolean };
}): Promise<boolean> {
  const { claim, answer, replace = false } = input;
  const recorded = await ctx.db
    .update(idempotencyKeys)
    .set({ responseStatus: answer.status, responseBody: { headers: answer.headers, body: answer.body } })
    .where(
      and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.createdAt, claim.claimedAt),
        replace ? isNotNull(idempotencyKeys.responseStatus) : isNull(idempotencyKeys.responseStatus),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return recorded.length > 0;
}
