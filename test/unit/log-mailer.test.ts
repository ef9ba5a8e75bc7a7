import { describe, expect, it } from "vitest";
import { logMailer } from "../../src/adapters/log-mailer.ts";
import { memoryLogger } from "../support/test-app.ts";

const message = { to: "a@example.com", subject: "Reset", text: "open https://x/reset?token=secret-token" };

describe("logMailer", () => {
  it("writes the whole message outside production, so a person can follow the link", async () => {
    const logger = memoryLogger();
    await logMailer(logger, { includeBody: true }).send(message);
    expect(logger.lines).toEqual([{ level: "info", message: "mail", ...message }]);
  });

  it("leaves the body (single-use links) out of production logs", async () => {
    const logger = memoryLogger();
    await logMailer(logger, { includeBody: false }).send(message);
    expect(JSON.stringify(logger.lines)).not.toContain("secret-token");
    expect(logger.lines[0]).toMatchObject({ to: "a@example.com", subject: "Reset" });
  });
});

describe("logMailer, handed one message twice", () => {
  it("logs a message once per idempotency key, and every message without one", async () => {
    const logger = memoryLogger();
    const mailer = logMailer(logger, { includeBody: false });
    await mailer.send(message, { idempotencyKey: "k1" });
    await mailer.send(message, { idempotencyKey: "k1" });
    await mailer.send(message, { idempotencyKey: "k2" });
    expect(logger.lines).toHaveLength(2);
    await mailer.send(message);
    await mailer.send(message);
    expect(logger.lines).toHaveLength(4);
  });
});
