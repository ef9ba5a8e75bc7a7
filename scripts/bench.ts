/**
 * `npm run bench`: seeds a realistic listings catalogue, serves the real app, its floors and the
 * bare-Hono ceiling in a worker thread of this process, drives them with autocannon in alternated
 * rounds and prints each scenario's ratio to its floor or ceiling. See `npm run bench -- --help`
 * and docs/performance.md.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { BookingFloorSet } from "./bench/booking-floors.ts";
import { addQuotes, bookingRuntime } from "./bench/bookings.ts";
import { type Prepared, prepareDatabase } from "./bench/database.ts";
import type { FloorSet } from "./bench/floors.ts";
import { floorRenderer } from "./bench/floors.ts";
import { type Options, parseOptions, wantedBy } from "./bench/options.ts";
import { report } from "./bench/report.ts";
import { measureRounds, preflight } from "./bench/rounds.ts";
import { buildScenarios, type Scenario } from "./bench/scenarios.ts";
import { type Servers, startServers } from "./bench/servers.ts";

async function main(): Promise<void> {
  const options = parseOptions();
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const tempDir =
    !databaseUrl && !options.dataDir ? mkdtempSync(join(tmpdir(), "stayedge-bench-")) : undefined;
  const dataDir = options.dataDir ?? join(tempDir ?? tmpdir(), "pgdata");
  try {
    const prepared = await prepareDatabase(options, databaseUrl, dataDir);
    // The apps' JWT secret, known here too: the booking scenarios mint their guests' tokens.
    const jwtSecret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    const servers = await startServers({ ...(databaseUrl ? { databaseUrl } : {}), dataDir, jwtSecret });
    try {
      process.exitCode = (await benchmark(options, prepared, servers, jwtSecret)) ? 1 : 0;
    } finally {
      await servers.stop();
    }
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function benchmark(
  options: Options,
  prepared: Prepared,
  servers: Servers,
  jwtSecret: string,
): Promise<boolean> {
  const runtime = bookingRuntime(prepared.fixtures.bookings, jwtSecret, servers.sql, options);
  await runtime.reset(); // what a run that died left booked
  const scenarios: Scenario[] = [];
  for (const scenario of buildScenarios(prepared.fixtures, options.seed, wantedBy(options), runtime)) {
    scenarios.push(scenario.page3 ? await toPage3(scenario, servers.uncachedUrl) : scenario);
    await addQuotes(scenario, servers.uncachedUrl);
  }
  const renderer = floorRenderer();
  try {
    const floors: Record<string, FloorSet> = {};
    const bookings: Record<string, BookingFloorSet> = {};
    for (const s of scenarios) {
      if (s.bookingFloor) bookings[s.name] = s.bookingFloor;
      else if (s.baseline === "floor") floors[s.name] = renderer.render(s.paths);
    }
    await servers.setFloors(floors, bookings);
  } finally {
    await renderer.close();
  }
  const preflights = new Map<string, string>();
  for (const scenario of scenarios) {
    const problem = await preflight(scenario, servers);
    if (problem) preflights.set(scenario.name, problem);
  }

  printHeader(options, prepared, servers, scenarios);
  for (const [name, problem] of preflights) console.log(`preflight FAILED: ${name}: ${problem}`);
  const measured = await measureRounds(scenarios, servers, options, preflights);
  await runtime.reset();
  return report(measured, servers.databaseKind);
}

/** Each path's page 3, by the cursors the app hands out for pages 1 and 2; paths with no page 3 are left out. */
async function toPage3(scenario: Scenario, appUrl: string): Promise<Scenario> {
  const paths: string[] = [];
  for (const path of scenario.paths) {
    const page2 = await nextCursor(appUrl, path);
    const page3 = page2 && (await nextCursor(appUrl, `${path}&cursor=${encodeURIComponent(page2)}`));
    if (page3) paths.push(`${path}&cursor=${encodeURIComponent(page3)}`);
  }
  if (paths.length === 0) throw new Error(`${scenario.name}: no request has a page 3 on this data`);
  return { ...scenario, paths };
}

async function nextCursor(appUrl: string, path: string): Promise<string | null> {
  const response = await fetch(appUrl + path);
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${path} → ${response.status} ${body}`);
  return (JSON.parse(body) as { nextCursor?: string | null }).nextCursor ?? null;
}

function printHeader(options: Options, prepared: Prepared, servers: Servers, scenarios: Scenario[]): void {
  const cpu = existsSync("/proc/cpuinfo")
    ? /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]
    : undefined;
  const perRun = options.warmup + options.duration;
  const minutes = (scenarios.length * options.rounds * 2 * perRun) / 60; // bursts: about as long
  const { fixtures } = prepared;
  const lines = [
    `date         ${new Date().toISOString()}`,
    `code         ${codeVersion()}`,
    `machine      ${cpu ?? "unknown CPU"}, ${availableParallelism()} CPUs, Node ${process.version}`,
    `database     ${servers.databaseKind} ${prepared.version} (${prepared.location})`,
    `listings     ${prepared.total} (${prepared.published} published)${prepared.seeding ? `, seeded in ${(prepared.seeding.milliseconds / 1000).toFixed(1)} s` : ", reused"}`,
    `big cities   ${fixtures.cities.map((c) => `${c.city}/${c.country} (${c.listings})`).join(", ")}`,
    `load         ${options.connections} connections; rounds: ${options.rounds}, each side ${options.warmup} s warm-up + ${options.duration} s measured; ${Math.ceil(minutes)} min of load`,
    "servers      app, uncached app, floors and ceiling in one worker thread; autocannon on the main thread",
    "",
    ...scenarios.map((s) => `  ${s.name.padEnd(34)} ${s.paths.length} requests; ${s.note}`),
  ];
  console.log(`\n${lines.join("\n")}`);
}

/** The commit benched, and whether src/ or migrations/ differ from it (the tree may be shared). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--", "src", "migrations") !== "";
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? " with uncommitted changes in src/ or migrations/" : ""}`;
  } catch {
    return "unknown (no git)";
  }
}

/** Never the whole message: drizzle's embeds the query and all its parameters. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const head = error.message.split("\n")[0] ?? "";
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.trim().startsWith("at "))
    .slice(0, 6)
    .join("\n");
  return `${error.name}: ${head.length > 300 ? `${head.slice(0, 300)}…` : head}\n${frames}`;
}

main().catch((error: unknown) => {
  console.error(`bench: failed: ${describeError(error)}`);
  process.exit(1);
});
