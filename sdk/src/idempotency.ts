import type { Middleware } from "openapi-fetch";
import { idempotentOperations } from "./schema.ts";

const takesKey = new Set(idempotentOperations);

/**
 * Sends an `Idempotency-Key` on the operations that take one, unless the caller passed their own
 * (`params: { header: { "idempotency-key": key } }`: keep it to retry safely after a lost answer).
 * A retry after a token refresh is a copy of the request, so it carries the same key.
 */
export const idempotencyKeys: Middleware = {
  onRequest({ request, schemaPath }) {
    if (takesKey.has(`${request.method} ${schemaPath}`) && !request.headers.has("idempotency-key")) {
      request.headers.set("idempotency-key", crypto.randomUUID());
    }
  },
};
