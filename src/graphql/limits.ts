import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { GraphQLError, NoSchemaIntrospectionCustomRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import { costLimitRule } from "./cost.ts";

/**
 * What one document may ask, checked before anything is resolved (the app's body limit bounds its
 * bytes first). Relay connections take two levels each (`edges { node }`), so a query two
 * connections deep with a profile at the end is 11 levels.
 */
export const LIMITS = {
  /** Lexical tokens: the introspection query has about 190. */
  tokens: 2_000,
  depth: 12,
  aliases: 15,
  /**
   * See cost.ts: a page of 50 listings with their hosts and 3 reviews each costs about 400; with
   * their calendars too, about 900; 100 bookings with their payments, over 2,000.
   */
  cost: 1_000,
};

/**
 * A document over a limit is refused with REST's code (and armor's misleading "Syntax Error:" prefix
 * dropped); `http` is the status of an application/graphql-response+json answer.
 */
const refuse = (_context: unknown, error: GraphQLError) => {
  const tooLarge = error.message.startsWith("Syntax Error: Token limit");
  throw new GraphQLError(error.message.replace(/^Syntax Error: /, ""), {
    extensions: {
      code: tooLarge ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED",
      http: { spec: true, status: tooLarge ? 413 : 400 },
    },
  });
};

export function limitPlugins({ introspection }: { introspection: boolean }): Plugin[] {
  return [
    maxTokensPlugin({ n: LIMITS.tokens, onReject: [refuse] }),
    maxDepthPlugin({ n: LIMITS.depth, flattenFragments: true, onReject: [refuse] }),
    maxAliasesPlugin({ n: LIMITS.aliases, onReject: [refuse] }),
    {
      onValidate: ({ addValidationRule }) => {
        addValidationRule(costLimitRule(LIMITS.cost));
        if (!introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
  ];
}
