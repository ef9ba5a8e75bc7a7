import { type Measured, problemsOf, type Run } from "./rounds.ts";

interface Medians {
  rps: number;
  p50: number;
  p99: number;
  /** Server-thread CPU µs per request, and its CPU time over the run's duration. */
  micros: number;
  busy: number;
}

export interface Summary {
  name: string;
  baseline: "floor" | "ceiling" | "rest" | "none";
  app: Medians;
  base: Medians;
  /** Median app req/s over median baseline req/s. */
  ratio: number;
  /** The lowest and highest ratio of a single round. */
  spread: [number, number];
  target?: number;
  verdict?: "PASS" | "FAIL";
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const medians = (runs: Run[]): Medians => ({
  rps: median(runs.map((r) => r.requestsPerSecond)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  micros: median(runs.map((r) => r.serverMicros)),
  busy: median(runs.map((r) => r.serverBusy)),
});

export function summarise(entry: Measured): Summary {
  const app = medians(entry.app);
  const base = medians(entry.baseline);
  const ratio = base.rps > 0 ? app.rps / base.rps : 0;
  const perRound = entry.app.map((r, i) => r.requestsPerSecond / (entry.baseline[i]?.requestsPerSecond || 1));
  const { target } = entry.scenario;
  return {
    name: entry.scenario.name,
    baseline: entry.scenario.baseline,
    app,
    base,
    ratio,
    spread: [Math.min(...perRound), Math.max(...perRound)],
    ...(target === undefined ? {} : { target, verdict: ratio >= target ? "PASS" : "FAIL" }),
  };
}

const ms = (value: number) => value.toFixed(1);
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The table as Markdown (docs/performance.md takes it as printed). */
export function table(summaries: Summary[]): string {
  const rows = [
    [
      "scenario",
      "vs",
      "app req/s",
      "vs req/s",
      "ratio",
      "rounds",
      "p50 ms app / vs",
      "p99 ms app / vs",
      "server CPU µs/req app / vs",
      "target",
    ],
    ...summaries.map((s) =>
      s.baseline === "none"
        ? [
            s.name,
            "",
            String(Math.round(s.app.rps)),
            "",
            "",
            "",
            ms(s.app.p50),
            ms(s.app.p99),
            `${Math.round(s.app.micros)} (${percent(s.app.busy)})`,
            "",
          ]
        : [
            s.name,
            s.baseline,
            String(Math.round(s.app.rps)),
            String(Math.round(s.base.rps)),
            s.ratio.toFixed(2),
            `${s.spread[0].toFixed(2)}–${s.spread[1].toFixed(2)}`,
            `${ms(s.app.p50)} / ${ms(s.base.p50)}`,
            `${ms(s.app.p99)} / ${ms(s.base.p99)}`,
            `${Math.round(s.app.micros)} / ${Math.round(s.base.micros)} (${percent(s.app.busy)} / ${percent(s.base.busy)})`,
            s.target === undefined ? "" : `≥ ${s.target.toFixed(1)} ${s.verdict}`,
          ],
    ),
  ];
  return markdown(rows, new Set([0, 1, 9]));
}

function markdown(rows: string[][], left: Set<number>): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => row[col]?.length ?? 0))) ?? [];
  const line = (row: string[]) =>
    `| ${row.map((cell, col) => (left.has(col) ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join(" | ")} |`;
  const rule = `| ${widths.map((w, col) => (left.has(col) ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), rule, ...body.map(line)].join("\n");
}

/**
 * The bursts (booking storms), one row per side: medians over the rounds of the answers by status,
 * the latencies and the time from the first request sent to the last answer.
 */
export function stormTable(measured: Measured[]): string {
  const rows = [["storm", "side", "requests", "201", "409", "5xx", "other", "p50 ms", "p99 ms", "drain ms"]];
  for (const entry of measured) {
    if (!entry.scenario.burst) continue;
    for (const side of ["app", "baseline"] as const) {
      const runs = entry[side];
      if (runs.length === 0) continue;
      const count = (pick: (status: number) => boolean) =>
        String(
          median(
            runs.map((r) =>
              Object.entries(r.statuses)
                .filter(([status]) => pick(Number(status)))
                .reduce((sum, [, n]) => sum + n, 0),
            ),
          ),
        );
      rows.push([
        entry.scenario.name,
        side === "app" ? "app" : entry.scenario.baseline,
        String(median(runs.map((r) => r.requests))),
        count((status) => status === 201),
        count((status) => status === 409),
        count((status) => status >= 500),
        count((status) => status !== 201 && status !== 409 && status < 500),
        ms(median(runs.map((r) => r.p50))),
        ms(median(runs.map((r) => r.p99))),
        String(Math.round(median(runs.map((r) => r.seconds * 1000)))),
      ]);
    }
  }
  return rows.length > 1 ? markdown(rows, new Set([0, 1])) : "";
}

/** Prints the tables, the targets and any errors; true when a run had errors or wrong answers. */
export function report(measured: Measured[], databaseKind: string): boolean {
  const summaries = measured.map(summarise);
  console.log(`\n${table(summaries)}\n`);
  const storms = stormTable(measured);
  if (storms) console.log(`${storms}\n`);
  const targeted = summaries.filter((s) => s.verdict);
  const failing = targeted.filter((s) => s.verdict === "FAIL");
  console.log(
    `targets (set for PostgreSQL; this run: ${databaseKind}): ${targeted.length - failing.length} of ${targeted.length} PASS` +
      (failing.length > 0
        ? `; FAIL: ${failing.map((s) => `${s.name} ${s.ratio.toFixed(2)}`).join(", ")}`
        : ""),
  );
  let failed = false;
  for (const entry of measured) {
    const problems = problemsOf(entry);
    if (problems.length === 0) continue;
    failed = true;
    console.log(`\n${entry.scenario.name}:\n  ${problems.join("\n  ")}`);
  }
  return failed;
}
