/**
 * `npm run fuzz -- --seconds N [--seed S] [--engine pglite|postgres]`: the property-based contract
 * tests (test/integration/contract.property.test.ts) for about N seconds in all, instead of the
 * few fixed-seed runs of `npm test`. Prints the seed first; a failing property prints its
 * counterexample and the seed and path to replay it. Exits 1 on any failure.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    seed: { type: "string" },
    engine: { type: "string", default: "pglite" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log("npm run fuzz -- [--seconds 60] [--seed <integer>] [--engine pglite|postgres]");
  process.exit(0);
}

const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isFinite(seconds) || seconds <= 0)
  throw new Error(`--seconds: not a positive number: ${values.seconds}`);
if (!Number.isInteger(seed)) throw new Error(`--seed: not an integer: ${values.seed}`);
if (values.engine !== "pglite" && values.engine !== "postgres")
  throw new Error("--engine: pglite or postgres");
if (values.engine === "postgres" && !process.env.DATABASE_URL)
  throw new Error("--engine postgres needs DATABASE_URL");

console.log(`fuzz: ${seconds} s on ${values.engine}, seed ${seed} (replay with --seed ${seed})`);

const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const run = spawnSync(
  process.execPath,
  [
    vitest,
    "run",
    "--project",
    `integration:${values.engine}`,
    "test/integration/contract.property.test.ts",
    // The properties only; the fixed checks beside them run in `npm test`.
    "--testNamePattern",
    "answers (a documented status below 500|400 VALIDATION_FAILED)",
  ],
  {
    stdio: "inherit",
    env: { ...process.env, STAYEDGE_FUZZ_SECONDS: String(seconds), STAYEDGE_FUZZ_SEED: String(seed) },
  },
);

if (run.status !== 0) console.error(`fuzz: FAILED with seed ${seed} (see the counterexamples above)`);
process.exit(run.status ?? 1);
