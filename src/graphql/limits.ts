import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse } from "graphql";
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

/** `http` is the status of an application/graphql-response+json answer (yoga's extension). */
const refused = (message: string, code: "PAYLOAD_TOO_LARGE" | "VALIDATION_FAILED") =>
  new GraphQLError(message, {
    extensions: { code, http: { spec: true, status: code === "PAYLOAD_TOO_LARGE" ? 413 : 400 } },
  });

/** graphql-armor reports a limit as a "Syntax Error"; it is refused with REST's code instead. */
const refuse = (_context: unknown, error: GraphQLError) => {
  throw refused(error.message.replace(/^Syntax Error: /, ""), "VALIDATION_FAILED");
};

/**
 * graphql-js's own token limit. (graphql-armor's max-tokens imports graphql's parser by a file
 * path that bundlers resolve to graphql's CommonJS build: on Workers its errors, a syntax error
 * included, came from another copy of graphql than the one the rest of the app checks against.)
 */
const tokenLimit = (max: number): Plugin => ({
  onParse: ({ setParseFn }) =>
    setParseFn((source, options) => {
      try {
        return parse(source, { ...options, maxTokens: max });
      } catch (error) {
        if (!(error instanceof GraphQLError && / tokens\. Parsing aborted/.test(error.message))) throw error;
        throw refused(`The document has more than ${max} tokens.`, "PAYLOAD_TOO_LARGE");
      }
    }),
});

export function limitPlugins({ introspection }: { introspection: boolean }): Plugin[] {
  return [
    tokenLimit(LIMITS.tokens),
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
