import type { DomainContext } from "../context.ts";
import { findListing, listingNotFound } from "../listings/listing-store.ts";
import type { Quote, StayRequest } from "./booking-schemas.ts";
import { quoteStayAt } from "./stay-quote.ts";

/** Anyone may price a stay at a published listing; nothing is held. */
export async function quoteStay({ ctx, input }: { ctx: DomainContext; input: StayRequest }): Promise<Quote> {
  const listing = await findListing(ctx.db, input.listingId);
  if (listing?.status !== "published") throw listingNotFound();
  return quoteStayAt(ctx, listing, input);
}
