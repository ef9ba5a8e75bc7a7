import { Scalar } from "@scalar/hono-api-reference";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { AppError } from "./domain/errors.ts";
import { graphqlHandler } from "./graphql/server.ts";
import { classify, fieldLocator } from "./http/errors.ts";
import { databaseHandle, jsonBodies, requestContext } from "./http/middleware/request.ts";
import { problemResponse } from "./http/problem.ts";
import { createRouter } from "./http/router.ts";
import type { Deps } from "./ports.ts";
import { adminRoutes } from "./routes/admin/index.ts";
import { authRoutes } from "./routes/auth/index.ts";
import { bookingsRoutes } from "./routes/bookings/index.ts";
import { calendarRoutes } from "./routes/calendar/index.ts";
import { conversationsRoutes } from "./routes/conversations/index.ts";
import { healthRoutes } from "./routes/health/index.ts";
import { listingsRoutes } from "./routes/listings/index.ts";
import { paymentsRoutes } from "./routes/payments/index.ts";
import { reviewsRoutes } from "./routes/reviews/index.ts";
import { usersRoutes } from "./routes/users/index.ts";

export const apiInfo = {
  title: "stayedge API",
  version: "0.1.0",
  license: { name: "MIT", identifier: "MIT" },
  description:
    "Booking marketplace backend: accounts, listings, search, bookings, payments, reviews and " +
    "messages. " +
    "Errors are RFC 9457 `application/problem+json` with a stable `code`.",
};

/** Builds the one application both runtimes serve; everything runtime-specific arrives in `deps`. */
export function createApp(deps: Deps) {
  const app = createRouter();
  const { config } = deps;

  app.use("*", requestContext(deps));

  if (config.CORS_ORIGINS.length > 0) {
    const origins = config.CORS_ORIGINS;
    app.use(
      "*",
      cors({
        origin: origins.includes("*") ? "*" : origins,
        allowHeaders: [
          "Authorization",
          "Content-Type",
          "Idempotency-Key",
          "If-Match",
          "If-None-Match",
          "X-Request-Id",
        ],
        exposeHeaders: ["ETag", "Idempotent-Replayed", "Location", "Retry-After", "X-Request-Id"],
        maxAge: 600,
      }),
    );
  }
  app.use(
    "*",
    methodNotAllowed({
      app,
      onMethodNotAllowed: (_c, methods) => {
        throw new AppError("METHOD_NOT_ALLOWED", `Use one of: ${methods.join(", ")}.`, {
          headers: { Allow: methods.join(", ") },
        });
      },
    }),
  );
  app.use("*", jsonBodies(config.BODY_LIMIT_BYTES));
  app.use("/ready", databaseHandle);
  app.use("/v1/*", databaseHandle);

  app.route("/", healthRoutes);
  app.route("/v1", authRoutes);
  // Before usersRoutes: `/users/me/listings` must not be taken for `/users/{id}`.
  app.route("/v1", listingsRoutes);
  app.route("/v1", bookingsRoutes);
  app.route("/v1", calendarRoutes);
  app.route("/v1", paymentsRoutes);
  app.route("/v1", reviewsRoutes);
  app.route("/v1", conversationsRoutes);
  app.route("/v1", usersRoutes);
  app.route("/v1", adminRoutes);
  // The read-only GraphQL API over the same domain verbs (src/graphql).
  app.use("/graphql", databaseHandle);
  app.on(["GET", "POST"], "/graphql", graphqlHandler(deps));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/openapi.json", openApiConfig);
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "stayedge API reference" }));

  // Returned, not thrown: methodNotAllowed turns this 404 into a 405 when another method matches.
  app.notFound((c) =>
    problemResponse(
      new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`),
      c.get("requestId"),
    ),
  );
  // The request's log line (requestContext) records what was thrown; the client gets only the problem.
  app.onError((thrown, c) =>
    problemResponse(classify(thrown), c.get("requestId") ?? "unknown", fieldLocator(c)),
  );
  return app;
}

export type App = ReturnType<typeof createApp>;

export const openApiConfig = {
  openapi: "3.1.0",
  info: apiInfo,
  servers: [{ url: "http://localhost:8787", description: "Local (npm start)" }],
  security: [{ bearerAuth: [] }],
  tags: [
    { name: "Health", description: "Liveness and readiness probes" },
    { name: "Auth", description: "Accounts, sign-in, sessions and password resets" },
    { name: "Users", description: "Your account and public profiles" },
    { name: "Listings", description: "Homes hosts publish, and the search guests use to find them" },
    { name: "Bookings", description: "Quotes, stays and their lifecycle, from request to check-out" },
    { name: "Calendar", description: "A listing's dates: open, blocked or booked, and their prices" },
    {
      name: "Payments",
      description: "Paying for stays through Stripe, refunds, hosts' payouts, and Stripe's webhook",
    },
    {
      name: "Reviews",
      description: "Double-blind reviews after a stay, by guests and hosts, and hosts' replies",
    },
    {
      name: "Messages",
      description:
        "Guests' and hosts' conversations about a listing, before and after booking, with contact details hidden until a stay is confirmed",
    },
    { name: "Admin", description: "Account administration (admins only)" },
  ],
};
