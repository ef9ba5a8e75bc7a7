import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { type AppError, type ErrorCode, errorStatus } from "../domain/errors.ts";
import { classify } from "../http/errors.ts";
import { isDatabaseError, postgresCode } from "../lib/postgres-errors.ts";
import type { Logger } from "../ports.ts";
import { withGraphqlNames } from "./args.ts";
import type { GraphQLContext } from "./builder.ts";

/**
 * Errors carry the `code` a REST problem would (`extensions.code`), and for invalid input the
 * fields in question (`extensions.errors`). What the client did wrong is said; anything else is
 * INTERNAL, logged, and told nothing about.
 */

type Unexpected = (thrown: unknown) => void;

/**
 * The error as the client sees it; `unexpected` hears of what is neither the client's fault nor
 * known. `refusal` codes GraphQL's own refusals that carry no code of ours.
 */
export function clientError(
  error: unknown,
  unexpected: Unexpected,
  refusal: ErrorCode = "VALIDATION_FAILED",
): GraphQLError {
  if (!(error instanceof GraphQLError)) return fromAppError(classified(error, unexpected));
  const thrown = error.originalError;
  if (thrown && !(thrown instanceof GraphQLError)) return fromAppError(classified(thrown, unexpected), error);
  const code = error.extensions.code;
  if (typeof code === "string" && Object.hasOwn(errorStatus, code)) return error;
  // An error at a path happened while answering (a value that fits no type): ours, not the client's.
  if (error.path) return fromAppError(classified(error, unexpected), error);
  // GraphQL's own refusals: a document it cannot parse, or must refuse, variables of the wrong type.
  const ours =
    (typeof code === "string" && graphqlCodes[code]) ||
    (error.message.startsWith("Syntax Error") ? "MALFORMED_REQUEST" : refusal);
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    // yoga's `http` extension sets the status of an application/graphql-response+json answer.
    extensions: { ...error.extensions, code: ours },
  });
}

/** The codes graphql-yoga gives GraphQL's own errors, as REST names them. */
const graphqlCodes: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: "MALFORMED_REQUEST",
  GRAPHQL_VALIDATION_FAILED: "VALIDATION_FAILED",
  BAD_USER_INPUT: "VALIDATION_FAILED",
};

function classified(thrown: unknown, unexpected: Unexpected): AppError {
  const error = classify(thrown);
  if (error.code === "INTERNAL") unexpected(thrown);
  return error;
}

function fromAppError(error: AppError, at?: GraphQLError): GraphQLError {
  const named = withGraphqlNames(error);
  return new GraphQLError(named.message, {
    nodes: at?.nodes,
    path: at?.path,
    extensions: { code: named.code, ...(named.errors ? { errors: named.errors } : {}) },
  });
}

/**
 * Gives the errors of validation and execution their codes, with the request id in the log line of
 * an unexpected one (runs before yoga masks what is left: errors of the request itself).
 */
export function useClientErrors(
  logger: Logger,
  { suggestions }: { suggestions: boolean },
): Plugin<GraphQLContext> {
  return {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (result.length === 0) return;
        const coded = result.map((error) => clientError(error, () => {}));
        // Without introspection, "Did you mean …?" would tell the schema field by field.
        setResult(suggestions ? coded : coded.map(withoutSuggestions));
      },
    onExecute: () => ({
      onExecuteDone: ({ result, setResult, args }) => {
        if (!("errors" in result) || !result.errors) return;
        const { requestId } = args.contextValue;
        const coded = result.errors.map((error) =>
          clientError(error, (thrown) =>
            logFailure(logger, thrown, { requestId, path: error.path?.join(".") }),
          ),
        );
        // As a REST problem does, an INTERNAL error names the request id to quote.
        setResult({ ...result, errors: coded.map((error) => withRequestId(error, requestId)) });
      },
    }),
  };
}

/**
 * The log line of an unexpected error, as the request line of a REST 500 says it: the error's name
 * and SQLSTATE, and where in the code unless the database threw it (drizzle's messages and stacks
 * hold the query's parameters: e-mails, password hashes). Never the message.
 */
export function logFailure(logger: Logger, thrown: unknown, fields: Record<string, unknown>): void {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const frames = isDatabaseError(error)
    ? undefined
    : (error.stack ?? "")
        .split("\n")
        .filter((line) => line.trimStart().startsWith("at "))
        .slice(0, 8)
        .join("\n");
  logger.log("error", "graphql error", {
    ...fields,
    error: error.name,
    sqlState: postgresCode(error),
    ...(frames ? { stack: frames } : {}),
  });
}

function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ Did you mean .*$/, "");
  return new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}

function withRequestId(error: GraphQLError, requestId: string): GraphQLError {
  if (error.extensions.code !== "INTERNAL") return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: { ...error.extensions, requestId },
  });
}
