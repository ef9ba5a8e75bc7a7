import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import RelayPlugin from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import type { DomainContext } from "../domain/context.ts";

/** What every resolver gets: the same domain context a REST handler builds, for this one request. */
export interface GraphQLContext {
  domain: DomainContext;
  requestId: string;
}

/** Calendar dates and instants travel as the strings REST sends (`2027-03-12`, ISO 8601 UTC). */
type StringScalar = { Input: string; Output: string };

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { Date: StringScalar; DateTime: StringScalar; SafeInt: { Input: number; Output: number } };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    // Ids are the REST ids; nothing is fetched by a global id.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
  },
});

export type Types = typeof builder.$inferSchemaTypes;

function stringScalar(name: "Date" | "DateTime", description: string) {
  const parse = (value: unknown) => {
    if (typeof value !== "string") throw new GraphQLError(`${name} must be a string.`);
    return value;
  };
  builder.scalarType(name, { description, serialize: (value) => value, parseValue: parse });
}

stringScalar("Date", "A calendar date, `YYYY-MM-DD`, in the listing's time zone.");
stringScalar("DateTime", "An instant, ISO 8601 in UTC: `2026-06-01T12:00:00.000Z`.");

builder.queryType({
  description: "Everything stayedge lets a client read. There are no mutations: use REST.",
});

builder.scalarType("SafeInt", {
  description:
    "An integer within ±(2^53 − 1). Amounts in minor units (a long stay's total) can exceed GraphQL's 32-bit Int.",
  serialize: (value) => value,
  parseValue: (value) => {
    if (!Number.isSafeInteger(value))
      throw new GraphQLError("SafeInt must be an integer within ±(2^53 − 1).");
    return value as number;
  },
});
