import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailerFor, resendMailer } from "../../src/adapters/resend-mailer.ts";
import { ConfigError, mailSettings, parseConfig } from "../../src/config.ts";
import { MailDeliveryError, type Mailer } from "../../src/ports.ts";
import { type FakeResend, startFakeResend } from "../support/fake-resend.ts";
import { memoryLogger } from "../support/test-app.ts";

const message = {
  to: "ana@example.com",
  subject: "Booking confirmed",
  text: "Hello Ana,\n\nYour stay is confirmed.\n",
  html: "<p>Hello Ana,</p>",
};
const FROM = "stayedge <bookings@stayedge.example>";

let fake: FakeResend;
let mailer: Mailer;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.sent.length = 0;
  mailer = resendMailer({ apiKey: fake.apiKey, from: FROM, apiUrl: new URL(fake.url) });
});

describe("resendMailer", () => {
  it("POSTs the message to /emails as Resend takes it: bearer key, JSON, the idempotency key", async () => {
    await mailer.send(message, { idempotencyKey: "6f1c2e4a-0000-5000-8000-000000000001" });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: "POST", path: "/emails" });
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${fake.apiKey}`,
      "content-type": "application/json",
      "idempotency-key": "6f1c2e4a-0000-5000-8000-000000000001",
    });
    expect(JSON.parse(request?.body ?? "")).toEqual({
      from: FROM,
      to: ["ana@example.com"],
      subject: "Booking confirmed",
      text: message.text,
      html: message.html,
    });
    expect(fake.sent).toHaveLength(1);
  });

  it("sends a message handed over twice with one key once (Resend answers the repeat as the first)", async () => {
    await mailer.send(message, { idempotencyKey: "key-1" });
    await mailer.send(message, { idempotencyKey: "key-1" });
    expect(fake.requests).toHaveLength(2);
    expect(fake.sent).toHaveLength(1);
  });

  it("leaves the html out when there is none, and the key out when there is none", async () => {
    await mailer.send({ to: "bo@example.com", subject: "s", text: "t" });
    const [request] = fake.requests;
    expect(request?.headers["idempotency-key"]).toBeUndefined();
    expect(JSON.parse(request?.body ?? "")).not.toHaveProperty("html");
  });

  it.each([
    { status: 429, name: "rate_limit_exceeded" },
    { status: 429, name: "daily_quota_exceeded" },
    { status: 500, name: "internal_server_error" },
    { status: 503, name: "application_error" },
    { status: 409, name: "concurrent_idempotent_requests" },
  ])("throws `unavailable` (the job is tried again) on $status $name", async (failure) => {
    fake.failNext(failure);
    const key = `retry-${failure.name}`;
    const sent = mailer.send(message, { idempotencyKey: key });
    await expect(sent).rejects.toBeInstanceOf(MailDeliveryError);
    await expect(sent).rejects.toMatchObject({
      kind: "unavailable",
      code: failure.name,
      name: "MailUnavailableError",
    });
    // The retry, with the same key, goes through.
    await mailer.send(message, { idempotencyKey: key });
    expect(fake.sent).toHaveLength(1);
  });

  it("throws `refused` with Resend's reason when it will not send (the job ends dead)", async () => {
    const refused = mailer.send({ ...message, to: "not an address" });
    await expect(refused).rejects.toMatchObject({
      kind: "refused",
      name: "MailRefusedError",
      code: "validation_error",
      message: "Resend answered 422 validation_error: Invalid `to` field.",
    });
    const wrongKey = resendMailer({ apiKey: "re_wrong", from: FROM, apiUrl: new URL(fake.url) });
    await expect(wrongKey.send(message)).rejects.toMatchObject({ kind: "refused", code: "invalid_api_key" });
    await mailer.send(message, { idempotencyKey: "k2" });
    await expect(
      mailer.send({ ...message, subject: "other" }, { idempotencyKey: "k2" }),
    ).rejects.toMatchObject({
      kind: "refused",
      code: "invalid_idempotent_request",
    });
  });

  it.each([
    { status: 429, name: "monthly_quota_exceeded", kind: "unavailable" },
    { status: 408, name: "request_timeout", kind: "unavailable" },
    { status: 400, name: "invalid_idempotency_key", kind: "refused" },
    { status: 401, name: "missing_api_key", kind: "refused" },
    { status: 403, name: "validation_error", kind: "refused" },
    { status: 404, name: "not_found", kind: "refused" },
    { status: 422, name: "invalid_from_address", kind: "refused" },
    { status: 451, name: "security_error", kind: "refused" },
  ])("reads $status $name as $kind", async ({ kind, ...failure }) => {
    fake.failNext(failure);
    await expect(mailer.send(message, { idempotencyKey: `k-${failure.name}` })).rejects.toMatchObject({
      kind,
      code: failure.name,
      permanent: kind === "refused",
    });
  });

  it("reads an answer that is not Resend's JSON by its status alone", async () => {
    fake.failNext(
      { status: 502, name: "", rawBody: "<html>Bad gateway</html>" },
      { status: 400, name: "", rawBody: "null" },
    );
    await expect(mailer.send(message)).rejects.toMatchObject({ kind: "unavailable", code: "http_502" });
    await expect(mailer.send(message)).rejects.toMatchObject({ kind: "refused", code: "http_400" });
  });

  it("passes on the wait Resend asks for in Retry-After, in seconds or as a date", async () => {
    fake.failNext(
      { status: 429, name: "rate_limit_exceeded", headers: { "retry-after": "7" } },
      {
        status: 503,
        name: "application_error",
        headers: { "retry-after": new Date(Date.now() + 120_000).toUTCString() },
      },
      { status: 429, name: "rate_limit_exceeded" },
    );
    await expect(mailer.send(message)).rejects.toMatchObject({ retryAfterSeconds: 7 });
    const dated = await mailer.send(message).catch((error: unknown) => error);
    expect((dated as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(100);
    expect((dated as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(120);
    const bare = await mailer.send(message).catch((error: unknown) => error);
    expect(bare).toBeInstanceOf(MailDeliveryError);
    expect(bare).toMatchObject({ retryAfterSeconds: undefined });
  });

  it("gives up waiting when the caller's signal aborts (a job its engine took back)", async () => {
    const hung = resendMailer({
      apiKey: fake.apiKey,
      from: FROM,
      apiUrl: new URL(fake.url),
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    });
    const controller = new AbortController();
    const sending = hung.send(message, { signal: controller.signal });
    controller.abort();
    await expect(sending).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("never puts the API key in an error, even when an answer echoes it", async () => {
    fake.failNext({ status: 401, name: "validation_error", message: `Bad header: Bearer ${fake.apiKey}` });
    const error = await mailer.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(String((error as Error).message)).not.toContain(fake.apiKey);
    expect((error as Error).message).toContain("Bad header: Bearer [key]");
  });

  it("gives up on a Resend that does not answer in time, as `unavailable`", async () => {
    fake.hangNext();
    const patient = resendMailer({
      apiKey: fake.apiKey,
      from: FROM,
      apiUrl: new URL(fake.url),
      timeoutMs: 200,
    });
    await expect(patient.send(message, { idempotencyKey: "slow-1" })).rejects.toMatchObject({
      kind: "unavailable",
      message: "Resend did not answer (TimeoutError)",
    });
    // The next try, with the same key, goes through once.
    await patient.send(message, { idempotencyKey: "slow-1" });
    expect(fake.sent).toHaveLength(1);
  });

  it("throws `unavailable` when nobody answers", async () => {
    const closed = await startFakeResend();
    await closed.close();
    const unreachable = resendMailer({ apiKey: fake.apiKey, from: FROM, apiUrl: new URL(closed.url) });
    await expect(unreachable.send(message)).rejects.toMatchObject({ kind: "unavailable" });
  });
});

describe("mailSettings", () => {
  const config = (env: Record<string, string>) =>
    parseConfig({ JWT_SECRET: "test-secret-of-at-least-32-characters!", ...env });

  it("logs mail by default; production needs Resend, a sender and PUBLIC_URL, or log on purpose", () => {
    expect(mailSettings(config({}))).toEqual({ provider: "log" });
    const production = { APP_ENV: "production" };
    expect(() => mailSettings(config(production))).toThrow(
      expect.objectContaining({ settings: ["RESEND_API_KEY", "MAIL_FROM", "PUBLIC_URL"] }),
    );
    expect(() =>
      mailSettings(config({ ...production, RESEND_API_KEY: "re_abc_123", MAIL_FROM: FROM })),
    ).toThrow(/PUBLIC_URL: is required in production/);
    expect(
      mailSettings(
        config({
          ...production,
          RESEND_API_KEY: "re_abc_123",
          MAIL_FROM: FROM,
          PUBLIC_URL: "https://stayedge.example",
        }),
      ),
    ).toMatchObject({ provider: "resend" });
    expect(mailSettings(config({ ...production, MAIL_PROVIDER: "log" }))).toEqual({ provider: "log" });
  });

  it("takes Resend when its key is set, with the sender required", () => {
    expect(mailSettings(config({ RESEND_API_KEY: "re_abc_123", MAIL_FROM: FROM }))).toEqual({
      provider: "resend",
      apiKey: "re_abc_123",
      from: FROM,
      apiUrl: undefined,
    });
    expect(() => mailSettings(config({ RESEND_API_KEY: "re_abc_123" }))).toThrow(ConfigError);
    expect(() => mailSettings(config({ MAIL_PROVIDER: "resend", MAIL_FROM: FROM }))).toThrow(
      /RESEND_API_KEY/,
    );
    expect(mailSettings(config({ MAIL_PROVIDER: "log", RESEND_API_KEY: "re_abc" }))).toEqual({
      provider: "log",
    });
  });

  it("refuses a key or a sender that cannot be one", () => {
    expect(() => config({ RESEND_API_KEY: "sk_live_x" })).toThrow(/RESEND_API_KEY/);
    expect(() => config({ MAIL_FROM: "no address" })).toThrow(/MAIL_FROM/);
    expect(() => config({ MAIL_FROM: "Evil\r\nBcc: x@y.z <a@b.c>" })).toThrow(/MAIL_FROM/);
    expect(config({ MAIL_FROM: "bookings@stayedge.example" }).MAIL_FROM).toBe("bookings@stayedge.example");
  });

  it("gives the log mailer without a provider, Resend with one", async () => {
    const logger = memoryLogger();
    await mailerFor({ provider: "log" }, { logger, includeBody: false }).send(message);
    expect(logger.lines[0]).toMatchObject({ message: "mail", to: "ana@example.com" });
    await mailerFor(
      { provider: "resend", apiKey: fake.apiKey, from: FROM, apiUrl: new URL(fake.url) },
      { logger, includeBody: false },
    ).send(message);
    expect(fake.sent).toHaveLength(1);
  });
});
