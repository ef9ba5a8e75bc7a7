import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/errors.ts";
import { classify } from "../../src/http/errors.ts";
import { toProblem } from "../../src/http/problem.ts";
import { postgresCode } from "../../src/lib/postgres-errors.ts";

/** Shaped like drizzle 0.45's DrizzleQueryError: the driver error is the `cause`, the message has the SQL. */
function drizzleError(code: string) {
  const driver = Object.assign(new Error("duplicate key value violates unique constraint"), { code });
  return new Error("Failed query: insert into users (email) values ($1)\nparams: alice@example.com", {
    cause: driver,
  });
}

describe("classify", () => {
  it("keeps AppErrors as they are", () => {
    const error = new AppError("FORBIDDEN", "Not yours.");
    expect(classify(error)).toBe(error);
  });

  it.each([
    ["23505", "CONFLICT", 409],
    ["23P01", "BOOKING_CONFLICT", 409],
    ["40P01", "BOOKING_CONFLICT", 409],
    ["40001", "CONFLICT", 409],
  ])("maps SQLSTATE %s found through the cause chain to %s", (sqlState, code, status) => {
    const error = classify(drizzleError(sqlState));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).not.toContain("alice@example.com");
  });

  it.each(["ECONNREFUSED", "08006", "57P01"])(
    "answers 503 SERVICE_UNAVAILABLE when the database is down (%s)",
    (code) => {
      const error = classify(drizzleError(code));
      expect(error).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        status: 503,
        headers: { "Retry-After": "5" },
      });
    },
  );

  it("maps Hono's HTTP exceptions by status", () => {
    expect(classify(new HTTPException(400, { message: "Malformed JSON in request body" }))).toMatchObject({
      code: "MALFORMED_REQUEST",
      message: "Malformed JSON in request body",
    });
  });

  it("turns anything else into an opaque INTERNAL error", () => {
    const error = classify(new TypeError("cannot read properties of undefined (reading 'password_hash')"));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).not.toContain("password_hash");
    expect(classify(drizzleError("22P02")).code).toBe("INTERNAL");
  });

  it("finds no code on errors without one", () => {
    expect(postgresCode(new Error("x"))).toBeUndefined();
    expect(postgresCode("not an error")).toBeUndefined();
  });
});

describe("toProblem", () => {
  it("renders RFC 9457 fields with the code, request id and field errors", () => {
    const problem = toProblem(
      new AppError("VALIDATION_FAILED", "The request has 1 invalid field.", {
        errors: [{ field: "email", location: "body.email", message: "Invalid email address" }],
      }),
      "req_1",
    );
    expect(problem).toEqual({
      type: "https://stayedge.dev/problems/validation-failed",
      title: "Validation failed",
      status: 400,
      detail: "The request has 1 invalid field.",
      code: "VALIDATION_FAILED",
      requestId: "req_1",
      errors: [{ location: "body.email", message: "Invalid email address" }],
    });
  });

  it("places a field the domain named where the request sent it", () => {
    const problem = toProblem(
      new AppError("VALIDATION_FAILED", "maxNights must be at least minNights.", {
        errors: [{ field: "maxNights", message: "Must be greater than or equal to minNights" }],
      }),
      "req_2",
      (field) => `body.${field}`,
    );
    expect(problem.errors).toEqual([
      { location: "body.maxNights", message: "Must be greater than or equal to minNights" },
    ]);
  });
});
