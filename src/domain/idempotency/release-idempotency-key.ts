import { and, eq, isNull } from "drizzle-orm";
import { idempotencyKeys } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { IdempotencyClaim } from "./idempotency-keys.ts";

/**
 * The request failed: forgets its claim, so the client may fix the request and send it again
 * with the same key. A key that has an answer, or a claim another request took over, stays.
 */
export async function releaseIdempotencyKey({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { claim: IdempotencyClaim };
}): Promise<void> {
  const { claim } = input;
  await ctx.db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.createdAt, claim.claimedAt),
        isNull(idempotencyKeys.responseStatus),
      ),
    );
}
