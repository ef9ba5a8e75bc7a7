/**
 * A 500's log line says what failed without what the user sent: drizzle's error message carries
 * the query's parameters (e-mails, password hashes) on its second line, `params: …`.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRouter } from "../../src/http/router.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  // A rule only this test's database has, so that an ordinary sign-up fails inside PostgreSQL.
  await t.db.database
    .connect()
    .db.execute(sql.raw(`alter table users add constraint users_name_not_boom check (name <> 'Boom Boom')`));
  t.app.route(
    "/v1",
    createRouter().get("/explode", () => {
      throw new TypeError("cannot read 'email' of guest alice@example.com");
    }),
  );
});
afterAll(() => t.close());

describe("the log line of a 500", () => {
  it("names the database error and its SQLSTATE, never the e-mail, password or hash it was given", async () => {
    const email = `secret-${crypto.randomUUID()}@example.com`;
    const password = "correct horse battery staple";
    const response = await t.request("/v1/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.77" },
      body: JSON.stringify({ email, password, name: "Boom Boom" }),
    });
    const body = await response.text();
    expect(response.status, body).toBe(500);
    expect(JSON.parse(body)).toMatchObject({ code: "INTERNAL" });

    const line = t.logger.lines.find((l) => l.message === "request" && l.path === "/v1/auth/register");
    expect(line).toMatchObject({ status: 500, sqlState: "23514", outcome: "error" });
    const logged = JSON.stringify(t.logger.lines);
    for (const secret of [email, password, "pbkdf2", "params:", "Failed query", "Boom Boom"]) {
      expect(logged, `the log holds ${secret}`).not.toContain(secret);
    }
    expect(body).not.toContain(email);
  });

  it("keeps where in the code a non-database 500 happened, but not its message", async () => {
    const response = await t.request("/v1/explode");
    expect(response.status).toBe(500);
    const line = t.logger.lines.find((l) => l.message === "request" && l.path === "/v1/explode");
    expect(line).toMatchObject({ status: 500, error: "TypeError" });
    expect(String(line?.stack)).toMatch(/^\s*at /);
    expect(JSON.stringify(line)).not.toContain("alice@example.com");
  });
});
