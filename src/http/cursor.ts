import { z } from "@hono/zod-openapi";
import { AppError } from "../domain/errors.ts";
import { fromBase64Url, toBase64Url } from "../lib/base64url.ts";

/** Opaque keyset cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(value: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> {
  try {
    return schema.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))));
  } catch {
    throw new AppError("VALIDATION_FAILED", "The cursor is not one this API handed out.", {
      errors: [{ location: "query.cursor", message: "Invalid cursor" }],
    });
  }
}

export const cursorQuery = z.string().max(512).optional().openapi({
  description: "`nextCursor` of the previous page",
  example: "eyJjIjoiMjAyNi0wNi0wMVQxMjowMDowMC4wMDBaIiwiaSI6IjAxOWFmIn0",
});

const newestFirstCursor = z.object({ c: z.iso.datetime(), i: z.string().max(64) });

/** Cursor of a newest-first list (see domain/pagination.ts). */
export function encodeNewestFirst(position: { createdAt: Date; id: string } | undefined): string | null {
  return position ? encodeCursor({ c: position.createdAt.toISOString(), i: position.id }) : null;
}

export function decodeNewestFirst(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
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
    .openapi(name);
}
