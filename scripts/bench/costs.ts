/**
 * Where a search's CPU goes, layer by layer, in this process and without HTTP:
 *   node scripts/bench/costs.ts [--seconds S] [scenario …]
 * on a database `npm run bench` seeded (DATABASE_URL). Each step runs the scenario's requests 32 at
 * a time for S seconds and prints req/s and this process's CPU time per request:
 *   floor      the rendered SQL through pg, rows to JSON (as the bench's floor, without HTTP)
 *   rendered   drizzle with each request's query built and rendered beforehand: execute, map rows
 *   drizzle    + parse the query, build the drizzle query and render its SQL per request
 *   verb       searchListings (rules, cache key, a cache that never hits, items) per request
 *   app        app.fetch(new Request(…)): routing, middleware, validation, c.json
 * and, timed alone in a loop, what `drizzle` adds per request: parsing the query, building the
 * drizzle query, rendering its SQL.
 */
import { parseArgs } from "node:util";
import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { postgresPool } from "../../src/db/node-postgres.ts";
import type { DomainContext } from "../../src/domain/context.ts";
import { resolveSearch } from "../../src/domain/listings/search-input.ts";
import { searchListings } from "../../src/domain/listings/search-listings.ts";
import { searchQuery } from "../../src/domain/listings/search-query.ts";
import { openNodeDatabase } from "../../src/node/database.ts";
import { nodeDeps } from "../../src/node/deps.ts";
import { searchInputOf, searchQuerySchema } from "../../src/routes/listings/listings.schemas.ts";
import { DEFAULT_SEED } from "../../test/support/seed.ts";
import { prepareDatabase } from "./database.ts";
import { floorRenderer } from "./floors.ts";
import { buildScenarios } from "./scenarios.ts";

const DEFAULT_SCENARIOS = [
  "search.city.price_asc.price",
  "search.box.newest",
  "search.radius.distance",
  "search.radius.text",
];
const CONCURRENCY = 32;

const { values, positionals } = parseArgs({
  options: { seconds: { type: "string", default: "5" } },
  allowPositionals: true,
});
const seconds = Number(values.seconds);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("set DATABASE_URL to a database `npm run bench` seeded");
const names = positionals.length > 0 ? positionals : DEFAULT_SCENARIOS;

const prepared = await prepareDatabase(
  {
    listings: 0,
    connections: 0,
    rounds: 0,
    duration: 0,
    warmup: 0,
    reseed: false,
    reuse: true,
    seed: DEFAULT_SEED,
    quick: false,
  },
  databaseUrl,
  "",
);
const opened = await openNodeDatabase({ databaseUrl, dataDir: "" });
const pool = postgresPool(databaseUrl);
const never = { get: async () => undefined, set: async () => {}, delete: async () => {} };
const config = parseConfig({
  APP_ENV: "production",
  LOG_LEVEL: "silent",
  JWT_SECRET: "c".repeat(43),
  // Never called by what this script measures; production only needs a key.
  STRIPE_SECRET_KEY: "sk_test_costs",
  STRIPE_WEBHOOK_SECRET: "whsec_costs",
  // No mail goes out while it runs: the log mailer, as production allows when asked.
  MAIL_PROVIDER: "log",
});
const deps = nodeDeps(config, opened.database, { cache: never });
const app = createApp(deps);
const db = opened.database.connect().db;
const ctx: DomainContext = { db, deps };
const renderer = floorRenderer();

/** Mean µs of each step of turning request i's query into SQL, over `count` requests after a warm-up. */
function sqlSteps(searchOf: (i: number) => ReturnType<typeof searchInputOf>, count: number) {
  const total = { parse: 0, build: 0, render: 0 };
  for (let i = -500; i < count; i++) {
    const started = performance.now();
    const input = searchOf(i + 500);
    const parsed = performance.now();
    const { query } = searchQuery(db, resolveSearch(input));
    const built = performance.now();
    query.toSQL();
    const rendered = performance.now();
    if (i < 0) continue;
    total.parse += parsed - started;
    total.build += built - parsed;
    total.render += rendered - built;
  }
  const us = (ms: number) => Math.round((ms * 1000) / count);
  return `parse ${us(total.parse)} µs, build ${us(total.build)} µs, render ${us(total.render)} µs`;
}

/** Runs `one(i)` for request i, CONCURRENCY at a time, for `duration` seconds. */
async function load(one: (i: number) => Promise<void>, duration: number) {
  let next = 0;
  let done = 0;
  const end = performance.now() + duration * 1000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await one(next++);
        done++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { rps: done / ((performance.now() - started) / 1000), micros: (used.user + used.system) / done };
}

for (const scenario of buildScenarios(prepared.fixtures, DEFAULT_SEED, (name) => names.includes(name))) {
  if (scenario.page3 || !scenario.paths[0]?.startsWith("/v1/listings?")) continue;
  const paths = scenario.paths;
  const queries = paths.map((path) => Object.fromEntries(new URL(path, "http://bench.invalid").searchParams));
  const searchOf = (i: number) => searchInputOf(searchQuerySchema.parse(queries[i % queries.length]));
  const floor = renderer.render(paths);
  // An empty name: node-postgres runs it as the unnamed statement, planned for its values, as the app's are.
  const rendered = queries.map((_, i) => {
    const { query, bindings } = searchQuery(db, resolveSearch(searchOf(i)));
    return { statement: query.prepare(""), values: bindings.values };
  });
  const steps: Record<string, (i: number) => Promise<unknown>> = {
    floor: async (i) => {
      const statement = floor.statements[i % paths.length];
      if (!statement) return;
      const text = floor.texts[statement.text] ?? "";
      const result = await pool.query({ text, values: statement.params, rowMode: "array" });
      return JSON.stringify({ items: result.rows });
    },
    rendered: async (i) => {
      const one = rendered[i % paths.length];
      return JSON.stringify({ items: await one?.statement.execute(one.values) });
    },
    drizzle: async (i) => {
      const { query, bindings } = searchQuery(db, resolveSearch(searchOf(i)));
      return JSON.stringify({ items: await query.execute(bindings.values) });
    },
    verb: async (i) => JSON.stringify(await searchListings({ ctx, input: searchOf(i) })),
    app: async (i) => {
      const response = await app.fetch(new Request(`http://bench.invalid${paths[i % paths.length]}`));
      if (response.status !== 200) throw new Error(`${paths[i % paths.length]} → ${response.status}`);
      return response.text();
    },
  };
  const line: string[] = [];
  for (const [step, run] of Object.entries(steps)) {
    const one = async (i: number) => void (await run(i));
    await load(one, 1);
    const { rps, micros } = await load(one, seconds);
    line.push(`${step} ${Math.round(micros)} µs (${Math.round(rps)}/s)`);
  }
  console.log(`${scenario.name.padEnd(30)} ${line.join("  ")}`);
  console.log(`${"".padEnd(30)} drizzle's part alone: ${sqlSteps(searchOf, 3_000)}`);
}

await renderer.close();
await pool.end();
await opened.close();
