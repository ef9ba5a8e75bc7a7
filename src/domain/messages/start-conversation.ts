import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { findListing, listingNotFound } from "../listings/listing-store.ts";
import { appendMessage, openConversation } from "./conversation-store.ts";
import { toMessage } from "./conversation-view.ts";
import { limitMessagesOf } from "./limits.ts";
import type { Message, NewMessage } from "./message-schemas.ts";

/**
 * A guest's enquiry about a published listing, before booking or without: it opens their one
 * conversation with the listing's host, or finds the one they have (a second enquiry, or one
 * after a booking, goes on in it), and sends the message there.
 */
export async function startConversation({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: NewMessage & { listingId: string };
}): Promise<Message> {
  const actor = requireActor(ctx);
  const listing = await findListing(ctx.db, input.listingId);
  if (listing?.status !== "published") throw listingNotFound();
  if (listing.hostId === actor.userId) {
    throw new AppError("FORBIDDEN", "Hosts cannot enquire about their own listing.");
  }
  await limitMessagesOf(ctx, actor.userId);
  const message = await withTransaction(ctx, async (ctx) => {
    const conversation = await openConversation(ctx, {
      listingId: listing.id,
      guestId: actor.userId,
      hostId: listing.hostId,
    });
    return appendMessage(ctx, conversation, { senderId: actor.userId, text: input.text });
  });
  return toMessage(message, actor, false);
}
