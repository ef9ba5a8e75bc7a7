import { z } from "@hono/zod-openapi";
import { AppError } from "../domain/errors.ts";
import type { NewestFirstPosition } from "../domain/pagination.ts";
import { fromBase64Url, toBase64Url } from "../lib/base64url.ts";

/**
 * Keyset cursors are opaque to clients: base64url JSON of a position. They come back untrusted,
 * so a cursor is decoded against the schema of the positions the API hands out; anything else
 * is 400 on `query.cursor`.
 */
export function encodeCursor(position: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(position)));
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  try {
    return schema.parse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(cursor))));
  } catch {
    throw new AppError("VALIDATION_FAILED", "The cursor is not one this API handed out.", {
      errors: [{ field: "cursor", location: "query.cursor", message: "Invalid cursor" }],
    });
  }
}

export const cursorQuery = z.string().max(512).optional().openapi({
  description: "`nextCursor` of the previous page",
  example: "eyJjIjoiMjAyNi0wNi0wMVQxMjowMDowMC4wMDBaIiwiaSI6IjAxOWFmIn0",
});

// Every position handed out is a row's creation, after 1970: year 0000 (which PostgreSQL has not)
// must be refused here, not reach the database as a 500.
const newestFirstCursor = z.object({ c: z.iso.datetime().refine((c) => Date.parse(c) >= 0), i: z.uuid() });

/** Cursor of a newest-first list (see domain/pagination.ts). */
export function encodeNewestFirst(position: NewestFirstPosition | undefined): string | null {
  return position ? encodeCursor({ c: position.createdAt.toISOString(), i: position.id }) : null;
}

export function decodeNewestFirst(cursor: string | undefined): NewestFirstPosition | undefined {
  if (!cursor) return undefined;
  const { c, i } = decodeCursor(cursor, newestFirstCursor);
  return { createdAt: new Date(c), id: i };
}

/** A keyset-paginated answer: a page of `item` and the cursor of the next page. */
export function pageSchema<S extends z.ZodType>(item: S, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
    })
    .openapi(name, {
      description: "A page of a list, in the list's order, and the cursor of the next page.",
    });
}
