/**
 * The outbox hands every message to the jobs port at least once, marks it processed only after
 * the hand-over, and a drain that dies half-way loses nothing: its leases run out and the next
 * drain hands those messages over again, under the same job id, which consumers use to do the
 * work once.
 */
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema/index.ts";
import type { DomainContext } from "../../src/domain/context.ts";
import { requestPasswordReset } from "../../src/domain/identity/request-password-reset.ts";
import { JOB_RECORDS_DAYS, sweepExpired } from "../../src/domain/maintenance/sweep-expired.ts";
import { drainOutbox, OUTBOX_LEASE_MS } from "../../src/domain/outbox/drain-outbox.ts";
import { runJob } from "../../src/jobs.ts";
import type { Job, Jobs } from "../../src/ports.ts";
import { signUp } from "../support/auth-helpers.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

const clock = manualClock();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ deps: { clock } });
});
afterAll(() => t.close());

/** A context whose jobs port is `jobs`, for driving the drain by hand. */
function contextWith(jobs: Jobs): DomainContext {
  return { db: t.db.database.connect().db, deps: { ...t.deps, jobs } };
}

/** Queues a reset e-mail for each of `count` new accounts; returns their outbox ids and e-mails. */
async function resetMails(count: number) {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const { email } = await signUp(t);
    const ctx = contextWith({ enqueue: async () => {} });
    await requestPasswordReset({ ctx, input: { email, clientIp: `192.0.2.${10 + i}` } });
    emails.push(email);
  }
  const rows = await t.db.database.connect().db.select().from(outbox);
  const ids = rows
    .filter((row) => emails.includes((row.payload as { to: string }).to))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((row) => row.id);
  return { ids, emails };
}

async function processed(ids: string[]) {
  const rows = await t.db.database
    .connect()
    .db.select({ id: outbox.id, processedAt: outbox.processedAt })
    .from(outbox)
    .where(inArray(outbox.id, ids));
  return new Map(rows.map((row) => [row.id, row.processedAt !== null]));
}

/** A jobs port that keeps what it is handed. */
function recorder() {
  const handed: Job[] = [];
  return { handed, jobs: { enqueue: async (job: Job) => void handed.push(job) } satisfies Jobs };
}

describe("drainOutbox", () => {
  it("hands each due message over once, with its id, and marks it processed after the hand-over", async () => {
    const { ids } = await resetMails(2);
    const { handed, jobs } = recorder();
    await drainOutbox({ ctx: contextWith(jobs), input: {} });
    expect(handed.filter((job) => ids.includes(job.id ?? "")).map((job) => job.id)).toEqual(ids);
    expect([...(await processed(ids)).values()]).toEqual([true, true]);
    const again = recorder();
    await drainOutbox({ ctx: contextWith(again.jobs), input: {} });
    expect(again.handed.filter((job) => ids.includes(job.id ?? ""))).toEqual([]);
  });

  it("keeps a message the jobs port refused, and hands it over at a later drain", async () => {
    const { ids } = await resetMails(1);
    const refusing: Jobs = {
      enqueue: async () => {
        throw new Error("queue unavailable");
      },
    };
    await drainOutbox({ ctx: contextWith(refusing), input: {} });
    expect((await processed(ids)).get(ids[0] ?? "")).toBe(false);
    clock.advance(61_000);
    const { handed, jobs } = recorder();
    await drainOutbox({ ctx: contextWith(jobs), input: {} });
    expect(handed.map((job) => job.id)).toContain(ids[0]);
    expect((await processed(ids)).get(ids[0] ?? "")).toBe(true);
  });

  it("loses nothing when a drain dies half-way, and the e-mail of a message handed twice goes out once", async () => {
    const { ids, emails } = await resetMails(3);
    // The first drain hands message 1 over, then dies while handing over message 2: the jobs port
    // has it, but the drain never gets to mark it.
    const firstHanded: Job[] = [];
    const dying: Jobs = {
      enqueue: (job) => {
        firstHanded.push(job);
        return firstHanded.length < 2 ? Promise.resolve() : new Promise<void>(() => {});
      },
    };
    void drainOutbox({ ctx: contextWith(dying), input: {} });
    await expect.poll(() => firstHanded.length).toBe(2);
    await expect.poll(async () => (await processed(ids)).get(ids[0] ?? "")).toBe(true);

    // While the dead drain's leases last, nobody takes its messages.
    const early = recorder();
    await drainOutbox({ ctx: contextWith(early.jobs), input: {} });
    expect(early.handed.filter((job) => ids.includes(job.id ?? ""))).toEqual([]);

    // Once they run out, the next drain hands over both unmarked messages, under the same ids.
    clock.advance(OUTBOX_LEASE_MS + 1);
    const late = recorder();
    await drainOutbox({ ctx: contextWith(late.jobs), input: {} });
    expect(late.handed.filter((job) => ids.includes(job.id ?? "")).map((job) => job.id)).toEqual(
      ids.slice(1),
    );
    expect([...(await processed(ids)).values()]).toEqual([true, true, true]);

    // The consumer runs every job it was handed, the repeat of message 2 included: one e-mail each.
    for (const job of [...firstHanded, ...late.handed]) await runJob(job, t.deps);
    const mails = t.logger.lines.filter(
      (line) => line.message === "mail" && emails.includes(String(line.to)),
    );
    expect(mails.map((line) => line.to).sort()).toEqual([...emails].sort());
  });
});

describe("sweepExpired", () => {
  it(`drops a message ${JOB_RECORDS_DAYS} days after it was handed over, never one still to hand over`, async () => {
    const { ids } = await resetMails(2);
    const [handedId, pendingId] = ids as [string, string];
    const refusingAll: Jobs = {
      enqueue: async (job) => {
        if (job.id !== handedId) throw new Error("queue unavailable");
      },
    };
    await drainOutbox({ ctx: contextWith(refusingAll), input: {} });
    expect(await processed(ids)).toEqual(
      new Map([
        [handedId, true],
        [pendingId, false],
      ]),
    );
    const sweep = () => sweepExpired({ ctx: contextWith(recorder().jobs) });

    clock.advance(JOB_RECORDS_DAYS * 86_400_000 - 60_000);
    await sweep();
    expect([...(await processed(ids)).keys()].sort()).toEqual([...ids].sort());

    clock.advance(120_000);
    expect((await sweep()).outboxMessages).toBeGreaterThanOrEqual(1);
    expect(await processed(ids)).toEqual(new Map([[pendingId, false]]));
  });
});

describe.skipIf(engine !== "postgres")("drainOutbox on real PostgreSQL", () => {
  it("two drains at once never hand over the same message", async () => {
    const { ids } = await resetMails(6);
    const handed: string[] = [];
    const slow: Jobs = {
      enqueue: async (job) => {
        handed.push(job.id ?? "");
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
    await Promise.all([
      drainOutbox({ ctx: contextWith(slow), input: {} }),
      drainOutbox({ ctx: contextWith(slow), input: {} }),
    ]);
    const ours = handed.filter((id) => ids.includes(id));
    expect(ours.sort()).toEqual([...ids].sort());
    const rows = await t.db.database
      .connect()
      .db.select({ attempts: outbox.attempts })
      .from(outbox)
      .where(inArray(outbox.id, ids));
    expect(rows.map((row) => row.attempts)).toEqual(ids.map(() => 1));
  });
});
