import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SEED } from "../../test/support/seed.ts";
import { SCENARIO_NAMES } from "./scenarios.ts";

const HELP = `Usage: npm run bench -- [options]

Seeds a listings catalogue, serves the app in a worker thread of this process and measures each
scenario against its baseline, served by the same thread in the same run (DESIGN §9):
  - a database-backed scenario against its floor: the very SQL the app's own builder renders for
    each request (searchQuery(…).toSQL(), or findListing's select), run through a pg.Pool of the
    app's size (10) behind a bare Hono route with no validation, middleware or ORM, answering
    c.json({ items: rows }); on PGlite the floor runs on the same PGlite instance;
  - a cached read against the ceiling: a bare Hono route answering c.json({ ok: true });
  - bookings.quote against the quote's statements (listing, booked nights, blocked nights,
    calendar days) through pg; bookings.storm.disjoint against the booking's (session check,
    then in one transaction: listing row locked, nights checked, booking, history and outbox
    rows inserted; then the payment: its PaymentIntent POSTed with fetch to the same fake-stripe
    the app's SDK calls, and its row), both rendered by drizzle from the app's own builders.
Each scenario has a list of distinct requests (positions jittered across the biggest cities,
prices, radii, words, amenities and dates varied); the app and its floor walk the same list in
the same order. Database scenarios are served by a second app instance whose cache never hits, so
they measure the search, not the cache; one cached read and one cached search are kept for
reference.

Bookings: 32 bench guests (users of the bench's e-mail domain with a fresh session each; the bench
mints their access tokens with the servers' JWT secret, no sign-in) book stays 60 days ahead or
more. A storm is a burst: a fixed number of requests from the connections, timed until the last
answer ("drain"). bookings.storm.same: 200 requests for one listing's same nights, no baseline;
exactly one may be booked (201), the others conflict (409), no 5xx. bookings.storm.disjoint:
400 × --duration bookings of 500 listings' distinct nights (400 × --warmup to warm up), each one
booked (201), against its floor. Before every run the bench deletes what its guests booked.
search.city.dates and search.box.dates search stays 14–28 days ahead, where the bench seeds (once
a day) confirmed stays on 60% of the published listings and blocked nights on 10% more; their
floor also runs the app's second statement, the page's date prices.

Rounds: in each round every scenario runs its baseline and the app back to back (warm-up, then
measured), the baseline first in even rounds and the app first in odd ones. The table shows the
medians over rounds of req/s, p50 and p99 for both sides, the ratio of the median req/s, the
spread of the per-round ratios, and PASS/FAIL against the targets (set for PostgreSQL):
  every search ≥ 0.7 × its floor's req/s (with dates ≥ 0.6); bookings.storm.disjoint ≥ 0.5 ×
  its floor's; cached listings.get ≥ 0.5 × the ceiling's req/s; bookings.quote: none, reported.
"server CPU" is the CPU time of the servers' thread per answered request, and (in brackets) its
CPU time over the run (100% is one core all the time): what the app costs in JavaScript beyond
its floor, read apart from how the machine shared its cores (on PGlite it includes the
database's work, which runs in that thread too).
Targets are reported, not enforced. Exits 1 when a run had errors (non-2xx other than a storm's
409s, socket errors, timeouts), a wrong answer (every app answer in 20 is checked against its
request, and before the load the first answers of each scenario are compared with its floor's),
or a storm that booked other than it must.

Database: PostgreSQL when DATABASE_URL is set (use a database of its own, e.g.
postgres://postgres@127.0.0.1:5432/stayedge_bench), else PGlite in a fresh temporary directory
(or --data-dir).

  --listings N        listings to seed (default 100000, or BENCH_LISTINGS; --quick: 5000)
  --connections N     concurrent connections (default 32)
  --rounds N          alternated rounds (default 3; --quick: 1)
  --duration S        measured seconds per run (default 5; --quick: 1)
  --warmup S          warm-up seconds before each run (default 1; --quick: 0.5)
  --data-dir DIR      PGlite data directory to use (kept afterwards)
  --reseed            delete the rows an earlier bench run seeded, then seed again
  --reuse             bench the listings already in the database; seed nothing
  --seed N            generator seed (default ${DEFAULT_SEED})
  --only a,b,…        only these scenarios; a name also selects those under it
                      (--only search.box selects every search.box.* scenario)
  --quick             smoke run: 5000 listings, 1 round of 1 s runs
  --help

With the defaults (${SCENARIO_NAMES.length} scenarios, 3 rounds of 2 × (1 + 5) s each) a run takes about 30
minutes after seeding. Where a search's CPU goes, layer by layer: node scripts/bench/costs.ts
(see docs/performance.md). Scenarios:
${wrap(SCENARIO_NAMES.join(", "), 2, 100)}
`;

export interface Options {
  listings: number;
  connections: number;
  rounds: number;
  duration: number;
  warmup: number;
  dataDir?: string;
  reseed: boolean;
  reuse: boolean;
  seed: number;
  only?: string[];
  quick: boolean;
}

export function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      listings: { type: "string" },
      connections: { type: "string" },
      rounds: { type: "string" },
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
  const quick = values.quick;
  const options: Options = {
    listings: integer("listings", values.listings ?? process.env.BENCH_LISTINGS, quick ? 5_000 : 100_000),
    connections: integer("connections", values.connections, 32),
    rounds: integer("rounds", values.rounds, quick ? 1 : 3),
    duration: seconds("duration", values.duration, quick ? 1 : 5, 0.5),
    warmup: seconds("warmup", values.warmup, quick ? 0.5 : 1, 0),
    reseed: values.reseed,
    reuse: values.reuse,
    seed: integer("seed", values.seed, DEFAULT_SEED, 0),
    quick,
  };
  if (values["data-dir"]) options.dataDir = resolve(values["data-dir"]);
  if (values.only) {
    const only = values.only
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = only.filter((name) => !SCENARIO_NAMES.some((known) => selects(name, known)));
    if (unknown.length > 0) fail(`unknown scenario(s): ${unknown.join(", ")} (see --help)`);
    options.only = only;
  }
  if (options.reseed && options.reuse) fail("--reseed and --reuse exclude each other");
  return options;
}

/** Whether the options select scenario `name`. */
export const wantedBy = (options: Options) => (name: string) =>
  !options.only || options.only.some((entry) => selects(entry, name));

/** `--only search.box` selects `search.box` and every `search.box.…`. */
export function selects(entry: string, name: string): boolean {
  return name === entry || name.startsWith(`${entry}.`);
}

export function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function integer(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer ≥ ${min}`);
  return value;
}

function seconds(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number of seconds ≥ ${min}`);
  return value;
}

function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent + line.length + word.length + 1 > width) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => " ".repeat(indent) + l).join("\n");
}
