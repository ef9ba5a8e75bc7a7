import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker.ts";

const BASE = "https://stayedge.test";

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { status: number; code: string; detail: string; requestId: string };
}

describe("the Worker in workerd (wrangler.toml main)", () => {
  it("GET /health answers 200 with a request id", async () => {
    const response = await exports.default.fetch(`${BASE}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("keeps a well-formed incoming X-Request-Id", async () => {
    const response = await exports.default.fetch(`${BASE}/health`, {
      headers: { "x-request-id": "edge-trace-0001" },
    });
    expect(response.headers.get("x-request-id")).toBe("edge-trace-0001");
  });

  it("GET /openapi.json is an OpenAPI 3.1 document describing the health routes", async () => {
    const response = await exports.default.fetch(`${BASE}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, { get?: { operationId?: string } }>;
    };
    expect(document.openapi).toBe("3.1.0");
    expect(document.paths["/ready"]?.get?.operationId).toBe("health.ready");
  });

  it("an unknown route is a 404 problem with a request id", async () => {
    const response = await exports.default.fetch(`${BASE}/v1/nowhere`);
    expect(response.status).toBe(404);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(problem.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("a known route with the wrong method is a 405 with Allow", async () => {
    const response = await exports.default.fetch(`${BASE}/health`, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toContain("GET");
    expect(await problemOf(response)).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  });
});

describe("a Worker deployed with a bad environment", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    { setting: "DATABASE_URL", value: undefined },
    { setting: "DATABASE_URL", value: "mysql://admin:hunter2@db.internal/app" },
    { setting: "BODY_LIMIT_BYTES", value: "lots" },
  ])(
    "$setting = $value → 500 BAD_ENVIRONMENT naming the setting, never its value",
    async ({ setting, value }) => {
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`${BASE}/health`), { ...env, [setting]: value }, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(500);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 500, code: "BAD_ENVIRONMENT" });
      expect(problem.detail).toContain(setting);
      expect(problem.requestId).toMatch(/^req_/);
      const logged = log.mock.calls.flat().join("\n");
      expect(logged).toContain(setting);
      if (value) {
        expect(JSON.stringify(problem)).not.toContain(value);
        expect(logged).not.toContain(value);
      }
    },
  );
});
