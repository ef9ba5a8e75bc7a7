import { sql } from "drizzle-orm";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";

const TIMEOUT_MS = 2000;

export async function checkDatabase({ ctx }: { ctx: DomainContext }) {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database check timed out")), TIMEOUT_MS);
  });
  try {
    await Promise.race([ctx.db.execute(sql`select 1`), timeout]);
  } catch (cause) {
    throw new AppError("SERVICE_UNAVAILABLE", "The database is not answering.", { cause });
  } finally {
    clearTimeout(timer);
  }
  return {
    status: "ok" as const,
    kind: ctx.deps.database.kind,
    latencyMs: Math.round((performance.now() - started) * 100) / 100,
  };
}
