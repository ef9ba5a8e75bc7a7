import { describe, expect, it } from "vitest";
import { listingBody } from "../support/listing-factory.ts";
import { call, hasDatabase, jsonOf, signUp } from "./worker-client.ts";

interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const graphql = <T>(query: string, token?: string) =>
  call("POST", "/graphql", token, { query }).then((response) => jsonOf<GraphQLBody<T>>(response, 200));

describe("GraphQL through the real Worker (workerd)", () => {
  it("answers a query, and refuses one over its limits, with no database needed", async () => {
    expect(await graphql("{ __typename }")).toEqual({ data: { __typename: "Query" } });
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(" ");
    const refused = await graphql(`{ ${aliases} }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    // The parser the Worker bundles is the one the rest of graphql-js there was built with.
    expect((await graphql("{ me { id ")).errors?.[0]?.extensions?.code).toBe("MALFORMED_REQUEST");
    const tokens = await graphql(`{ me { ${"id ".repeat(2_000)} } }`);
    expect(tokens.errors?.[0]?.extensions?.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it.skipIf(!hasDatabase)(
    "reads a listing with its host and reviews over the Neon driver (needs DATABASE_URL)",
    async () => {
      const token = await signUp("GraphQLHost");
      const created = await jsonOf<{ id: string }>(
        await call("POST", "/v1/listings", token, listingBody()),
        201,
      );
      const answer = await graphql<{ listing: unknown; me: { name: string } }>(
        `{ listing(id: "${created.id}") { title host { name } reviews(first: 2) { summary { count } } } me { name } }`,
        token,
      );
      expect(answer).toEqual({
        data: {
          listing: {
            title: "Sunny loft by the canal",
            host: { name: "GraphQLHost" },
            reviews: { summary: { count: 0 } },
          },
          me: { name: "GraphQLHost" },
        },
      });
    },
  );
});
