/**
 * A request without a body is a request without a body: browsers and `fetch` send a bare DELETE or
 * POST without Content-Type (and without Content-Length). Only a request that carries bytes must
 * be JSON. Tried over real HTTP, as the Node server receives them.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeader, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const ADMIN_EMAIL = "bodies-admin@example.com";
let t: TestApp;
let server: ReturnType<typeof serve>;
let base: string;
let host: SignedUpUser;
let admin: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL } });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  host = await signUp(t);
  admin = await signUp(t, { email: ADMIN_EMAIL });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

async function expectStatus(response: Response, status: number, context: string) {
  const text = await response.text();
  expect(response.status, `${context}: ${text}`).toBe(status);
  return text;
}

describe("requests without a body, over HTTP", () => {
  it("DELETE /v1/listings/{id} as fetch sends it (no Content-Type, no Content-Length) unlists", async () => {
    const listing = await createListing(t, host.accessToken);
    const response = await fetch(`${base}/v1/listings/${listing.id}`, {
      method: "DELETE",
      headers: authHeader(host.accessToken),
    });
    await expectStatus(response, 204, "bare DELETE");
    expect((await fetch(`${base}/v1/listings/${listing.id}`)).status).toBe(404);
  });

  it("POST /v1/admin/users/{id}/suspend and /reinstate without a body work", async () => {
    const member = await signUp(t);
    for (const action of ["suspend", "reinstate"]) {
      const response = await fetch(`${base}/v1/admin/users/${member.id}/${action}`, {
        method: "POST",
        headers: authHeader(admin.accessToken),
      });
      await expectStatus(response, 200, `bare POST ${action}`);
    }
  });

  it("POST /v1/auth/logout without a body signs out", async () => {
    const leaver = await signUp(t);
    const response = await fetch(`${base}/v1/auth/logout`, {
      method: "POST",
      headers: authHeader(leaver.accessToken),
    });
    await expectStatus(response, 204, "bare POST logout");
    expect((await fetch(`${base}/v1/users/me`, { headers: authHeader(leaver.accessToken) })).status).toBe(
      401,
    );
  });

  it("a JSON content type with an empty body is a request without a body", async () => {
    const listing = await createListing(t, host.accessToken);
    const response = await fetch(`${base}/v1/listings/${listing.id}`, {
      method: "DELETE",
      headers: { ...authHeader(host.accessToken), "content-type": "application/json" },
    });
    await expectStatus(response, 204, "DELETE with a JSON type and no bytes");
  });

  it("a body that is not JSON is refused with 415, and the listing stays", async () => {
    const listing = await createListing(t, host.accessToken);
    const response = await fetch(`${base}/v1/listings/${listing.id}`, {
      method: "DELETE",
      headers: { ...authHeader(host.accessToken), "content-type": "text/plain" },
      body: "please delete",
    });
    const text = await expectStatus(response, 415, "DELETE with a text body");
    expect(JSON.parse(text)).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
    expect((await fetch(`${base}/v1/listings/${listing.id}`)).status).toBe(200);
  });

  it("bytes without a content type are refused with 415", async () => {
    const listing = await createListing(t, host.accessToken);
    const response = await fetch(`${base}/v1/listings/${listing.id}`, {
      method: "DELETE",
      headers: authHeader(host.accessToken),
      body: new Uint8Array([123, 125]),
    });
    await expectStatus(response, 415, "DELETE with untyped bytes");
  });

  it("an operation that needs a body answers 400 naming its fields when none is sent", async () => {
    const response = await fetch(`${base}/v1/listings`, {
      method: "POST",
      headers: authHeader(host.accessToken),
    });
    const problem = JSON.parse(await expectStatus(response, 400, "bare POST /v1/listings")) as {
      errors: Array<{ location: string }>;
    };
    expect(problem.errors.map((e) => e.location)).toEqual(
      expect.arrayContaining(["body.title", "body.timezone"]),
    );
  });
});
