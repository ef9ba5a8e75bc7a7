/**
 * `npm run bench`: seeds a realistic listings catalogue, serves the real app (and a bare Hono app
 * as the ceiling) in a worker thread of this process, drives both with autocannon and prints
 * requests/s and latencies per scenario. See `npm run bench -- --help`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../src/db/database.ts";
import { openNodeDatabase } from "../src/node/database.ts";
import { BENCH_EMAIL_DOMAIN, DEFAULT_SEED, seedListings } from "../test/support/seed.ts";
import { runLoad } from "./bench/load.ts";
import {
  type BigCity,
  buildScenarios,
  type CitySearch,
  citySearches,
  type Fixtures,
  type Scenario,
} from "./bench/scenarios.ts";
import type { ServerWorkerData, ServerWorkerMessage } from "./bench/server-worker.ts";

const HELP = `Usage: npm run bench -- [options]

Seeds listings, serves the app in this process and measures it with autocannon.
Database: PostgreSQL when DATABASE_URL is set (benchmarked as given: use a database of its own,
e.g. postgres://postgres@127.0.0.1:5432/stayedge_bench), else PGlite in a fresh temporary
directory (or --data-dir).

  --listings N        listings to seed (default 100000, or BENCH_LISTINGS; --quick: 5000)
  --connections N     concurrent connections (default 32)
  --duration S        seconds per scenario (default 10; --quick: 2)
  --warmup S          warm-up seconds per scenario (default: duration / 5, 1–3)
  --data-dir DIR      PGlite data directory to use (kept afterwards)
  --reseed            delete the rows an earlier bench run seeded, then seed again
  --reuse             bench the listings already in the database; seed nothing
  --seed N            generator seed (default ${DEFAULT_SEED})
  --only a,b,…        only these scenarios (the ceiling always runs): ceiling, health,
                      get.cached, get.uncached, search.city, search.city.uncached,
                      search.city.p3, search.city.p3.uncached, search.near, search.bbox
  --quick             smoke run: 5000 listings, 2 s per scenario
  --help

Every scenario's answers are checked against their request (before the run, and one in 20
during it): "wrong" counts those that did not match. Exits 1 when a scenario had errors
(non-2xx, socket errors, timeouts) or wrong answers; targets are reported, not enforced.
`;

const CACHE_MISS_IDS = 50_000;
const BIG_CITIES = 6;

interface Options {
  listings: number;
  connections: number;
  duration: number;
  warmup: number;
  dataDir?: string;
  reseed: boolean;
  reuse: boolean;
  seed: number;
  only?: string[];
  quick: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      listings: { type: "string" },
      connections: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      "data-dir": { type: "string" },
      reseed: { type: "boolean", default: false },
      reuse: { type: "boolean", default: false },
      seed: { type: "string" },
      only: { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const int = (name: string, text: string | undefined, fallback: number, min = 1) => {
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  const quick = values.quick;
  const duration = int("duration", values.duration, quick ? 2 : 10);
  const options: Options = {
    listings: int("listings", values.listings ?? process.env.BENCH_LISTINGS, quick ? 5_000 : 100_000),
    connections: int("connections", values.connections, 32),
    duration,
    warmup: int("warmup", values.warmup, Math.min(3, Math.max(1, Math.round(duration / 5))), 0),
    reseed: values.reseed,
    reuse: values.reuse,
    seed: int("seed", values.seed, DEFAULT_SEED, 0),
    quick,
  };
  if (values["data-dir"]) options.dataDir = resolve(values["data-dir"]);
  if (values.only)
    options.only = values.only
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (options.reseed && options.reuse) fail("--reseed and --reuse exclude each other");
  return options;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

interface Prepared {
  fixtures: Fixtures;
  location: string;
  total: number;
  published: number;
  seeding?: { milliseconds: number; hosts: number; listings: number };
}

/** Seeds (or reuses) the database, gathers the scenarios' ids and cities, and closes it again. */
async function prepareDatabase(
  options: Options,
  databaseUrl: string | undefined,
  dataDir: string,
): Promise<Prepared> {
  const opened = await openNodeDatabase({ databaseUrl, dataDir });
  try {
    const db = opened.database.connect().db;
    const count = async () =>
      (await rows<{ n: number }>(db, sql`select count(*)::int as n from listings`))[0]?.n ?? 0;
    let existing = await count();
    if (existing > 0 && options.reseed) {
      const started = performance.now();
      const pattern = `%@${BENCH_EMAIL_DOMAIN}`;
      await db.execute(
        sql`delete from listings where host_id in (select id from users where email like ${pattern})`,
      );
      await db.execute(sql`delete from users where email like ${pattern}`);
      existing = await count();
      console.log(`removed the earlier bench rows in ${Math.round(performance.now() - started)} ms`);
      if (existing > 0) {
        fail(
          `the listings table still holds ${existing} rows the bench did not create: use an empty database`,
        );
      }
    }
    let seeding: Prepared["seeding"];
    if (existing > 0 && !options.reuse) {
      fail(
        `the listings table of ${opened.location} already holds ${existing} rows: pass --reuse to bench them, ` +
          "or --reseed to delete what an earlier bench run seeded and seed again",
      );
    }
    if (existing === 0) {
      if (options.reuse) fail("--reuse: the listings table is empty");
      process.stdout.write(
        `seeding ${options.listings} listings (seed ${options.seed}) into ${opened.location} …`,
      );
      let lastReport = performance.now();
      const result = await seedListings(db, {
        count: options.listings,
        seed: options.seed,
        onProgress: (inserted) => {
          if (performance.now() - lastReport > 5_000) {
            lastReport = performance.now();
            process.stdout.write(` ${inserted}`);
          }
        },
      });
      seeding = result;
      console.log(
        `\nseeded ${result.listings} listings (${result.published} published) and ${result.hosts} hosts ` +
          `in ${(result.milliseconds / 1000).toFixed(1)} s (${Math.round(result.listings / (result.milliseconds / 1000))} listings/s, VACUUM ANALYZE included)`,
      );
    }
    const [totals] = await rows<{ total: number; published: number }>(
      db,
      sql`select count(*)::int as total, (count(*) filter (where status = 'published'))::int as published from listings`,
    );
    const cities = await rows<BigCity>(
      db,
      sql`select country, city, count(*)::int as listings, avg(lat)::float8 as lat, avg(lng)::float8 as lng
          from listings where status = 'published'
          group by country, city order by count(*) desc, country, city limit ${BIG_CITIES}`,
    );
    // A fixed pseudo-random sample (md5 of the id): the same ids every run on the same data.
    const ids = (
      await rows<{ id: string }>(
        db,
        sql`select id from listings where status = 'published' order by md5(id) limit ${CACHE_MISS_IDS}`,
      )
    ).map((r) => r.id);
    const cachedId = ids[0];
    if (!cachedId || cities.length === 0) fail("no published listings to bench");
    return {
      fixtures: { cachedId, ids: ids.slice(1), cities },
      location: opened.location,
      total: totals?.total ?? 0,
      published: totals?.published ?? 0,
      ...(seeding ? { seeding } : {}),
    };
  } finally {
    await opened.close();
  }
}

interface Servers {
  appUrl: string;
  bareUrl: string;
  databaseKind: string;
  stop(): Promise<void>;
}

function startServers(data: ServerWorkerData): Promise<Servers> {
  const worker = new Worker(new URL("./bench/server-worker.ts", import.meta.url), { workerData: data });
  return new Promise((resolvePromise, reject) => {
    worker.once("error", reject);
    worker.on("error", (error) => console.error(`bench: the server worker failed: ${describeError(error)}`));
    worker.once("message", (message: ServerWorkerMessage) => {
      if (message.type === "failed") {
        reject(new Error(`the server worker failed: ${message.message}`));
        return;
      }
      if (message.type !== "ready") return;
      resolvePromise({
        appUrl: `http://127.0.0.1:${message.appPort}`,
        bareUrl: `http://127.0.0.1:${message.barePort}`,
        databaseKind: message.databaseKind,
        stop: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => void worker.terminate().then(() => done()), 15_000);
            worker.on("message", (m: ServerWorkerMessage) => {
              if (m.type === "stopped") {
                clearTimeout(timer);
                void worker.terminate().then(() => done());
              }
            });
            worker.postMessage("stop");
          }),
      });
    });
  });
}

/** Pages 1 and 2 of each city search, for the cursor of page 3. */
async function page3Cursors(appUrl: string, searches: CitySearch[]) {
  const out: Array<{ search: CitySearch; cursor: string }> = [];
  let skipped = 0;
  for (const search of searches) {
    let cursor: string | null = null;
    for (let page = 1; page <= 2; page++) {
      const url: string = `${appUrl}/v1/listings?${search.query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const response: Response = await fetch(url);
      const body: string = await response.text();
      if (!response.ok) {
        console.log(
          `  page ${page} of ${url.replace(appUrl, "")} answered ${response.status}: ${body.slice(0, 500)}`,
        );
        cursor = null;
        break;
      }
      cursor = (JSON.parse(body) as { nextCursor?: string | null }).nextCursor ?? null;
      if (!cursor) break;
    }
    if (cursor) out.push({ search, cursor: encodeURIComponent(cursor) });
    else skipped++;
  }
  if (skipped > 0) console.log(`  ${skipped} of ${searches.length} city searches have no page 3 (left out)`);
  return out;
}

interface Sample {
  ok: boolean;
  detail: string;
}

/** A few requests before the load: each answer must be 200 and match its request (see `verify`). */
async function preflight(base: string, scenario: Scenario): Promise<Sample> {
  const counts: number[] = [];
  for (let i = 0; i < 4; i++) {
    const path = (scenario.probePath ?? scenario.nextPath)();
    const response = await fetch(base + path);
    const body = await response.text();
    if (response.status !== 200) {
      return { ok: false, detail: `GET ${path} → ${response.status} ${body.slice(0, 800)}` };
    }
    const problem = scenario.verify?.(path, body);
    if (problem) return { ok: false, detail: `GET ${path} → 200 but wrong: ${problem}` };
    const items = (JSON.parse(body) as { items?: unknown[] }).items;
    if (Array.isArray(items)) counts.push(items.length);
  }
  return { ok: true, detail: counts.length > 0 ? `${counts.join("/")} items` : "" };
}

interface Row {
  scenario: Scenario;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<number, number>;
  sample: string;
  /** Answers checked during the run, and how many did not match their request. */
  verified: number;
  wrong: number;
  firstWrong?: string;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const tempDir =
    !databaseUrl && !options.dataDir ? mkdtempSync(join(tmpdir(), "stayedge-bench-")) : undefined;
  const dataDir = options.dataDir ?? join(tempDir ?? tmpdir(), "pgdata");
  try {
    const prepared = await prepareDatabase(options, databaseUrl, dataDir);
    const servers = await startServers({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
    let failed = false;
    try {
      failed = await benchmark(options, prepared, servers);
    } finally {
      await servers.stop();
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function benchmark(options: Options, prepared: Prepared, servers: Servers): Promise<boolean> {
  const searches = citySearches(prepared.fixtures.cities);
  const wanted = (name: string) => !options.only || name === "ceiling" || options.only.includes(name);
  const needPage3 = !options.only || options.only.some((name) => name.startsWith("search.city.p3"));
  const page3 = needPage3 ? await page3Cursors(servers.appUrl, searches) : [];
  const all = buildScenarios(prepared.fixtures, page3);
  if (options.only) {
    const unknown = options.only.filter((name) => !all.some((s) => s.name === name));
    if (unknown.length > 0)
      fail(`unknown scenario(s): ${unknown.join(", ")}; known: ${all.map((s) => s.name).join(", ")}`);
  }
  const scenarios = all.filter((s) => wanted(s.name));

  const header = [
    `database     ${servers.databaseKind} (${prepared.location})`,
    `listings     ${prepared.total} (${prepared.published} published)${prepared.seeding ? `, seeded in ${(prepared.seeding.milliseconds / 1000).toFixed(1)} s` : ", reused"}`,
    `big cities   ${prepared.fixtures.cities.map((c) => `${c.city}/${c.country} (${c.listings})`).join(", ")}`,
    `load         ${options.connections} connections, ${options.duration} s per scenario after ${options.warmup} s warm-up`,
    `machine      ${availableParallelism()} CPUs, Node ${process.version}; servers in a worker thread, autocannon on the main thread`,
  ];
  console.log(`\n${header.join("\n")}\n`);

  const results: Row[] = [];
  for (const scenario of scenarios) {
    const base = scenario.target === "bare" ? servers.bareUrl : servers.appUrl;
    const sample = await preflight(base, scenario);
    if (!sample.ok) console.log(`  ${scenario.name}: preflight FAILED: ${sample.detail}`);
    if (options.warmup > 0) {
      await runLoad({
        url: base,
        connections: options.connections,
        durationSeconds: options.warmup,
        nextPath: scenario.nextPath,
      });
    }
    const result = await runLoad({
      url: base,
      connections: options.connections,
      durationSeconds: options.duration,
      nextPath: scenario.nextPath,
      verify: scenario.verify,
    });
    const errors = result.non2xx + result.errors + result.timeouts;
    results.push({
      scenario,
      requestsPerSecond: result.requestsPerSecond,
      p50: result.p50,
      p99: result.p99,
      errors,
      statuses: result.statuses,
      sample: sample.ok ? sample.detail : "preflight answer WRONG, see below",
      verified: result.verified,
      wrong: result.wrong + (sample.ok ? 0 : 1),
      ...(result.firstWrong || !sample.ok
        ? { firstWrong: sample.ok ? result.firstWrong : sample.detail }
        : {}),
    });
    console.log(
      `  ${scenario.name.padEnd(24)} ${Math.round(result.requestsPerSecond)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms` +
        (errors > 0
          ? `  ERRORS ${errors} (statuses ${JSON.stringify(result.statuses)}, socket errors ${result.errors}, timeouts ${result.timeouts})`
          : ""),
    );
  }
  printTable(results);
  printTargets(results, servers.databaseKind, options.connections);
  return results.some((r) => r.errors > 0 || r.wrong > 0);
}

function printTable(results: Row[]): void {
  const ceiling = results.find((r) => r.scenario.kind === "ceiling")?.requestsPerSecond;
  const table = [
    ["scenario", "req/s", "p50 ms", "p99 ms", "errors", "wrong", "× ceiling", "cache", "what"],
    ...results.map((r) => [
      r.scenario.name,
      String(Math.round(r.requestsPerSecond)),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      String(r.errors),
      `${r.wrong}/${r.verified}`,
      ceiling ? (r.requestsPerSecond / ceiling).toFixed(2) : "—",
      r.scenario.cache,
      r.scenario.note + (r.sample ? ` [sample: ${r.sample}]` : ""),
    ]),
  ];
  const widths = table[0]?.map((_, col) => Math.max(...table.map((row) => row[col]?.length ?? 0))) ?? [];
  const numeric = new Set([1, 2, 3, 4, 5, 6]);
  const line = (row: string[]) =>
    row
      .map((cell, col) => {
        if (col === row.length - 1) return cell;
        const width = widths[col] ?? 0;
        return numeric.has(col) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ");
  console.log("");
  for (const [i, row] of table.entries()) {
    console.log(line(row));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

function printTargets(results: Row[], databaseKind: string, connections: number): void {
  const ceiling = results.find((r) => r.scenario.kind === "ceiling");
  const cached = results.find((r) => r.scenario.name === "get.cached");
  const lines: string[] = [];
  if (ceiling && cached) {
    const ratio = cached.requestsPerSecond / ceiling.requestsPerSecond;
    lines.push(
      `${ratio >= 0.5 ? "PASS" : "FAIL"}  cached listings.get ≥ 0.5 × ceiling req/s: ${Math.round(cached.requestsPerSecond)} / ${Math.round(ceiling.requestsPerSecond)} = ${ratio.toFixed(2)}`,
    );
  }
  for (const r of results.filter((row) => row.scenario.kind === "search")) {
    lines.push(
      `${r.p99 <= 25 ? "PASS" : "FAIL"}  ${r.scenario.name} p99 ≤ 25 ms at ${connections} connections: ${r.p99.toFixed(2)} ms`,
    );
  }
  console.log(`\ntargets (set for PostgreSQL; this run: ${databaseKind}):`);
  for (const line of lines) console.log(`  ${line}`);
  const failed = results.filter((r) => r.errors > 0);
  if (failed.length > 0)
    console.log(`\nscenarios with errors: ${failed.map((r) => r.scenario.name).join(", ")}`);
}

/** Never the whole message: drizzle's embeds the query and all its parameters (100,000s of them here). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const head = error.message.split("\n")[0] ?? "";
  const cause = error.cause as
    | { message?: string; code?: string; detail?: string; constraint?: string }
    | undefined;
  const causeText = cause
    ? `\n  cause: ${[cause.code, cause.message, cause.detail, cause.constraint && `constraint ${cause.constraint}`].filter(Boolean).join(" | ")}`
    : "";
  const stack = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.trim().startsWith("at "))
    .slice(0, 6)
    .join("\n");
  return `${error.name}: ${head.length > 300 ? `${head.slice(0, 300)}…` : head}${causeText}\n${stack}`;
}

main().catch((error: unknown) => {
  console.error(`bench: failed: ${describeError(error)}`);
  process.exit(1);
});
