import { z } from "zod";
import type { DatabasePort } from "../../src/db/database.ts";
import { authHeader } from "./auth-helpers.ts";
import type { TestApp } from "./test-app.ts";

/** A GraphQL error as `/graphql` answers it. */
export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; errors?: { field: string; message: string }[] };
}

export interface GraphQLAnswer<T> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: GraphQLErrorJson[] | undefined;
  text: string;
}

export interface GraphQLOptions {
  variables?: Record<string, unknown>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

/** POSTs a GraphQL document to the app (not through `t.request`: `/graphql` is not in openapi.json). */
export async function graphql<T = Record<string, unknown>>(
  t: Pick<TestApp, "app">,
  query: string,
  { variables, token, headers }: GraphQLOptions = {},
): Promise<GraphQLAnswer<T>> {
  const response = await t.app.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? authHeader(token) : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: T | null; errors?: GraphQLErrorJson[] };
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors, text };
}

/** The codes of an answer's errors, by path (`listing`, `booking.payment`; `-` for none). */
export function errorCodes(answer: GraphQLAnswer<unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    (answer.errors ?? []).map((error) => [error.path?.join(".") ?? "-", error.extensions?.code]),
  );
}

/**
 * The selection of every field of a zod object schema, nested objects included: what a client
 * asking for all of a REST answer's fields sends (`{ id title address { city } … }`).
 */
export function selectionOf(schema: z.ZodObject, omit: string[] = []): string {
  const fields = Object.entries(schema.shape)
    .filter(([key]) => !omit.includes(key))
    .map(([key, field]) => {
      const object = objectIn(field as z.ZodType);
      return object ? `${key} ${selectionOf(object)}` : key;
    });
  return `{ ${fields.join(" ")} }`;
}

function objectIn(schema: z.ZodType): z.ZodObject | undefined {
  if (schema instanceof z.ZodObject) return schema;
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional)
    return objectIn(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray) return objectIn(schema.element as z.ZodType);
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options) {
      const found = objectIn(option as z.ZodType);
      if (found) return found;
    }
  }
  return undefined;
}

/** `value` without the keys whose value is null or absent, at any depth: REST leaves optional ones out. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null && child !== undefined)
      .map(([key, child]) => [key, withoutNulls(child)]),
  );
}

interface Queryable {
  query: (...args: unknown[]) => unknown;
}

/**
 * Counts the statements the database driver is handed (`query` of the PGlite instance or of the
 * `pg` pool under drizzle), from now until `stop()`. Transactions run on a client of their own and
 * are not counted; the reads GraphQL makes open none.
 */
export function countStatements(database: DatabasePort) {
  const client = (database.connect().db as unknown as { $client: Queryable }).$client;
  const query = client.query;
  let count = 0;
  client.query = function counted(this: unknown, ...args: unknown[]) {
    count++;
    return query.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    stop() {
      client.query = query;
    },
  };
}
