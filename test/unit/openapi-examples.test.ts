/**
 * Every request body and every answer in the reference has an example, and each example is one the
 * operation's own schema accepts for that status (no missing field, no undocumented key, a problem
 * example's `status` the answer's status): the examples cannot drift from the code.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { noDatabase } from "../../scripts/openapi.ts";
import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { nodeDeps } from "../../src/node/deps.ts";
import { checkAnswer, documentedRoutes } from "../support/response-check.ts";

interface Media {
  schema?: { safeParse?: (value: unknown) => { success: boolean; error?: unknown } };
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

const app = createApp(
  nodeDeps(parseConfig({ JWT_SECRET: "only-describing-the-api-no-tokens-issued" }), noDatabase),
);
const routes = documentedRoutes(app);

const examplesOf = (media: Media): unknown[] =>
  media.example !== undefined
    ? [media.example]
    : Object.values(media.examples ?? {}).map((example) => example.value);

const contentOf = (part: unknown): Record<string, Media> =>
  (part as { content?: Record<string, Media> } | undefined)?.content ?? {};

describe("the reference's examples", () => {
  it("cover every request body and every answer with a body", () => {
    const missing: string[] = [];
    for (const { operation, config } of routes) {
      for (const [type, media] of Object.entries(contentOf(config.request?.body))) {
        if (examplesOf(media).length === 0) missing.push(`${operation} request ${type}`);
      }
      for (const [status, answer] of Object.entries(config.responses)) {
        for (const [type, media] of Object.entries(contentOf(answer))) {
          if (examplesOf(media).length === 0) missing.push(`${operation} ${status} ${type}`);
        }
      }
    }
    expect(routes.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it("are accepted by the operation's own request schema", () => {
    const refused: string[] = [];
    for (const { operation, config } of routes) {
      for (const [type, media] of Object.entries(contentOf(config.request?.body))) {
        for (const example of examplesOf(media)) {
          const parsed = media.schema?.safeParse?.(example);
          if (!parsed?.success)
            refused.push(`${operation} request ${type}: ${JSON.stringify(parsed?.error)}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });

  it("are answers the operation documents: its status, its schema, no undocumented key", () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const url = route.path.replaceAll(/\{[^}]+\}/g, "x");
      for (const [status, answer] of Object.entries((route.config as RouteConfig).responses)) {
        for (const [type, media] of Object.entries(contentOf(answer))) {
          for (const example of examplesOf(media)) {
            const { problems } = checkAnswer([route], {
              method: route.method,
              url,
              status: Number(status),
              contentType: type,
              text: JSON.stringify(example),
            });
            wrong.push(...problems.map((p) => `${route.operation} ${status}: ${p}`));
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
