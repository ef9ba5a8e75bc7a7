import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";
import { openNodeDatabase } from "../../src/node/database.ts";
import { BENCH_EMAIL_DOMAIN, seedListings } from "../../test/support/seed.ts";
import { deleteBenchStays, prepareBookingFixtures, seedBookedNights } from "./booking-data.ts";
import { fail, type Options, wantedBy } from "./options.ts";
import type { BigCity } from "./queries.ts";
import { type Fixtures, SCENARIO_NAMES } from "./scenarios.ts";

const BIG_CITIES = 6;
const UNCACHED_IDS = 500;

export interface Prepared {
  fixtures: Fixtures;
  location: string;
  /** The database server's version (`server_version`). */
  version: string;
  total: number;
  published: number;
  seeding?: { milliseconds: number; hosts: number; listings: number };
}

async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Seeds (or reuses) the database, gathers the scenarios' ids and cities, and closes it again. */
export async function prepareDatabase(
  options: Options,
  databaseUrl: string | undefined,
  dataDir: string,
): Promise<Prepared> {
  const opened = await openNodeDatabase({ databaseUrl, dataDir });
  try {
    const db = opened.database.connect().db;
    const seeding = await seedOrReuse(db, options, opened.location);
    const [totals] = await rows<{ total: number; published: number }>(
      db,
      sql`select count(*)::int as total, (count(*) filter (where status = 'published'))::int as published from listings`,
    );
    const [server] = await rows<{ version: string }>(
      db,
      sql`select current_setting('server_version') as version`,
    );
    const cities = await rows<BigCity>(
      db,
      sql`select country, city, count(*)::int as listings, avg(lat)::float8 as lat, avg(lng)::float8 as lng
          from listings where status = 'published'
          group by country, city order by count(*) desc, country, city limit ${BIG_CITIES}`,
    );
    // A fixed pseudo-random sample (md5 of the id): the same ids every run on the same data.
    const sample = await rows<{ id: string; hostId: string }>(
      db,
      sql`select id, host_id as "hostId" from listings where status = 'published'
          order by md5(id) limit ${UNCACHED_IDS + 1}`,
    );
    const ids = sample.map((r) => r.id);
    const cachedId = ids[0];
    if (!cachedId || cities.length === 0) fail("no published listings to bench");
    const bookings = await prepareBookingFixtures(db, options.seed);
    if (SCENARIO_NAMES.some((name) => name.endsWith(".dates") && wantedBy(options)(name))) {
      const started = performance.now();
      const seeded = await seedBookedNights(db, options.seed, bookings.today);
      console.log(
        `${seeded.kept ? "kept the" : "seeded"} ${seeded.stays} stays and ${seeded.blocked} blocked nights ` +
          `for the searches with dates (${Math.round(performance.now() - started)} ms)`,
      );
    }
    return {
      fixtures: {
        cachedId,
        ids: ids.slice(1),
        hostIds: sample.slice(1).map((r) => r.hostId),
        cities,
        bookings,
      },
      location: opened.location,
      version: server?.version ?? "?",
      total: totals?.total ?? 0,
      published: totals?.published ?? 0,
      ...(seeding ? { seeding } : {}),
    };
  } finally {
    await opened.close();
  }
}

async function seedOrReuse(db: Database, options: Options, location: string): Promise<Prepared["seeding"]> {
  const count = async () =>
    (await rows<{ n: number }>(db, sql`select count(*)::int as n from listings`))[0]?.n ?? 0;
  let existing = await count();
  if (existing > 0 && options.reseed) {
    const started = performance.now();
    const pattern = `%@${BENCH_EMAIL_DOMAIN}`;
    await deleteBenchStays(db);
    await db.execute(
      sql`delete from listings where host_id in (select id from users where email like ${pattern})`,
    );
    await db.execute(sql`delete from users where email like ${pattern}`);
    existing = await count();
    console.log(`removed the earlier bench rows in ${Math.round(performance.now() - started)} ms`);
    if (existing > 0) {
      fail(`the listings table still holds ${existing} rows the bench did not create: use an empty database`);
    }
  }
  if (existing > 0) {
    if (options.reuse) return undefined;
    fail(
      `the listings table of ${location} already holds ${existing} rows: pass --reuse to bench them, ` +
        "or --reseed to delete what an earlier bench run seeded and seed again",
    );
  }
  if (options.reuse) fail("--reuse: the listings table is empty");
  process.stdout.write(`seeding ${options.listings} listings (seed ${options.seed}) into ${location} …`);
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
  console.log(
    `\nseeded ${result.listings} listings (${result.published} published) and ${result.hosts} hosts ` +
      `in ${(result.milliseconds / 1000).toFixed(1)} s (VACUUM ANALYZE included)`,
  );
  return result;
}
