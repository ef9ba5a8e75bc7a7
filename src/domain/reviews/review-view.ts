import type { reviews } from "../../db/schema/index.ts";
import type { Actor } from "../context.ts";
import type { Review } from "./review-schemas.ts";

export type ReviewRow = typeof reviews.$inferSelect;

/**
 * A review as `viewer` may see it: the private note only by its author and its subject (the
 * host), the hiding reason only by its author and admins.
 */
export function toReview(row: ReviewRow, viewer: Actor | undefined): Review {
  const party = viewer !== undefined && (viewer.userId === row.authorId || viewer.userId === row.subjectId);
  const author = viewer?.userId === row.authorId;
  return {
    id: row.id,
    bookingId: row.bookingId,
    listingId: row.listingId,
    side: row.side,
    authorId: row.authorId,
    subjectId: row.subjectId,
    status: row.status,
    rating: row.rating,
    categories:
      row.side === "guest"
        ? {
            cleanliness: row.cleanliness ?? 0,
            accuracy: row.accuracy ?? 0,
            checkIn: row.checkIn ?? 0,
            communication: row.communication ?? 0,
            location: row.location ?? 0,
            value: row.value ?? 0,
          }
        : null,
    comment: row.comment,
    privateNote: party ? row.privateNote : null,
    wouldHostAgain: row.wouldHostAgain,
    reply: row.reply !== null && row.repliedAt ? { text: row.reply, at: row.repliedAt.toISOString() } : null,
    hiddenReason: author || viewer?.isAdmin ? row.hiddenReason : null,
    windowClosesAt: row.windowClosesAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
