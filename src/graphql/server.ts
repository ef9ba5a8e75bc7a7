import { initContextCache } from "@pothos/core";
import { createYoga } from "graphql-yoga";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AppError } from "../domain/errors.ts";
import { domainContext } from "../http/context.ts";
import { optionalAuth } from "../http/middleware/auth.ts";
import type { AppEnv } from "../http/types.ts";
import type { Deps } from "../ports.ts";
import type { GraphQLContext } from "./builder.ts";
import { clientError, logFailure, useClientErrors } from "./errors.ts";
import { limitPlugins } from "./limits.ts";
import { schema } from "./schema.ts";

/**
 * The `/graphql` endpoint: graphql-yoga on the request's own Fetch `Request`, so it runs wherever
 * the app does. Each request gets the domain context a REST handler would (its database handle,
 * and the actor of its token), and DataLoaders of its own through Pothos's context cache.
 */
export function graphqlHandler(deps: Deps) {
  const { config, logger } = deps;
  const development = config.APP_ENV !== "production";
  const yoga = createYoga<{ c: Context<AppEnv> }, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // The app answers CORS, logs each request and limits bodies; its routes are its own.
    cors: false,
    logging: false,
    landingPage: false,
    maxRequestBodySize: config.BODY_LIMIT_BYTES,
    graphiql: development ? { title: "stayedge GraphQL" } : false,
    context: ({ c }) => ({ ...initContextCache(), domain: domainContext(c), requestId: c.get("requestId") }),
    plugins: [
      ...limitPlugins({ introspection: development }),
      useClientErrors(logger, { suggestions: development }),
    ],
    maskedErrors: {
      // What reaches here unmasked was refused before validation: not a GraphQL request at all.
      maskError: (error) =>
        clientError(error, (thrown) => logFailure(logger, thrown, {}), "MALFORMED_REQUEST"),
    },
  });

  return createMiddleware<AppEnv>(async (c) => {
    // A token is optional, as on REST's public reads; a bad one is refused before anything runs.
    try {
      await optionalAuth(c, async () => {});
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "UNAUTHENTICATED") throw error;
      return c.json(
        { errors: [{ message: error.message, extensions: { code: error.code } }] },
        401,
        error.headers,
      );
    }
    return yoga.fetch(c.req.raw, { c });
  });
}
