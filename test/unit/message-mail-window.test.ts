import { describe, expect, it } from "vitest";
import { planMessagesMail } from "../../src/domain/notifications/message-notifications.ts";

const now = new Date("2026-06-01T13:00:00Z");
const planFor = (at: string, conversationId = "c1", recipientId = "u2") =>
  planMessagesMail({ conversationId, recipientId, at }, now).later?.[0];

describe("planMessagesMail", () => {
  it("asks for one mail per conversation and recipient at the end of the message's quarter hour", () => {
    const first = planFor("2026-06-01T12:00:00.000Z");
    expect(first?.at.toISOString()).toBe("2026-06-01T12:15:00.000Z");
    expect(first?.payload).toEqual({
      conversationId: "c1",
      recipientId: "u2",
      due: "2026-06-01T12:15:00.000Z",
    });
    // Every message of the window names the same mail: the outbox keeps one.
    expect(planFor("2026-06-01T12:14:59.999Z")?.key).toBe(first?.key);
    expect(planFor("2026-06-01T12:07:30.000Z")?.key).toBe(first?.key);
    // The next window, another conversation, another recipient: another mail.
    expect(planFor("2026-06-01T12:15:00.000Z")?.at.toISOString()).toBe("2026-06-01T12:30:00.000Z");
    expect(planFor("2026-06-01T12:15:00.000Z")?.key).not.toBe(first?.key);
    expect(planFor("2026-06-01T12:01:00.000Z", "c2")?.key).not.toBe(first?.key);
    expect(planFor("2026-06-01T12:01:00.000Z", "c1", "u3")?.key).not.toBe(first?.key);
  });

  it("mails nothing at once: the mail waits for its window to end", () => {
    expect(
      planMessagesMail({ conversationId: "c", recipientId: "u", at: "2026-06-01T12:00:00Z" }, now).mails,
    ).toEqual([]);
  });

  it("takes the time it is handled for a message without one", () => {
    expect(planFor("not a date")?.at.toISOString()).toBe("2026-06-01T13:15:00.000Z");
  });
});
