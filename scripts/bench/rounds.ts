import { type LoadResult, runLoad } from "./load.ts";
import type { Scenario } from "./scenarios.ts";
import type { Servers } from "./servers.ts";
import { sameAsFloor } from "./verify.ts";

export type Side = "app" | "baseline";

/** A measured run, and what it cost the server thread. */
export interface Run extends LoadResult {
  /** CPU time of the server thread per answered request, in µs. */
  serverMicros: number;
  /** The server thread's CPU time over the run's duration: 1 is one core all the time. */
  serverBusy: number;
}

export interface Measured {
  scenario: Scenario;
  /** One measured run per round, in round order. */
  app: Run[];
  baseline: Run[];
  /** What the check before the load found wrong, if anything. */
  preflight?: string;
}

export interface RoundOptions {
  rounds: number;
  connections: number;
  duration: number;
  warmup: number;
}

/** Where a side of a scenario sends request i (the app and its floor walk one list in one order). */
function target(
  scenario: Scenario,
  side: Side,
  servers: Servers,
): { url: string; path: (i: number) => string } {
  if (side === "app") {
    const url = scenario.app === "cached" ? servers.appUrl : servers.uncachedUrl;
    return { url, path: (i) => scenario.paths[i % scenario.paths.length] ?? "/" };
  }
  if (scenario.baseline === "ceiling") return { url: servers.bareUrl, path: () => "/" };
  return { url: servers.bareUrl, path: (i) => `/floor/${scenario.name}/${i % scenario.paths.length}` };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

/**
 * Before any load: the first requests of the scenario answer 200, match their own request, and
 * (against a floor) hold the same listings as the floor's rows for the same request.
 */
export async function preflight(scenario: Scenario, servers: Servers): Promise<string | undefined> {
  const app = target(scenario, "app", servers);
  const floor = target(scenario, "baseline", servers);
  for (let i = 0; i < Math.min(4, scenario.paths.length); i++) {
    const path = app.path(i);
    const answer = await get(app.url + path);
    if (answer.status !== 200) return `GET ${path} → ${answer.status} ${answer.body.slice(0, 500)}`;
    const problem = scenario.verify(path, answer.body);
    if (problem) return `GET ${path} → 200 but wrong: ${problem}`;
    if (scenario.baseline !== "floor") continue;
    const rows = await get(floor.url + floor.path(i));
    if (rows.status !== 200) return `floor ${floor.path(i)} → ${rows.status} ${rows.body.slice(0, 500)}`;
    const differs = sameAsFloor(answer.body, rows.body);
    if (differs) return `GET ${path}: the app and its floor differ: ${differs}`;
  }
  return undefined;
}

async function measureSide(
  scenario: Scenario,
  side: Side,
  servers: Servers,
  options: RoundOptions,
): Promise<Run> {
  const { url, path } = target(scenario, side, servers);
  const nextPath = () => {
    let i = 0;
    return () => path(i++);
  };
  const { connections } = options;
  if (options.warmup > 0) {
    await runLoad({ url, connections, durationSeconds: options.warmup, nextPath: nextPath() });
  }
  const before = await servers.cpuMicros();
  const result = await runLoad({
    url,
    connections,
    durationSeconds: options.duration,
    nextPath: nextPath(),
    verify: side === "app" ? scenario.verify : undefined,
  });
  const micros = (await servers.cpuMicros()) - before;
  return {
    ...result,
    serverMicros: micros / Math.max(1, result.requests),
    serverBusy: micros / (result.seconds * 1e6),
  };
}

const errorsOf = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

/**
 * Runs every scenario once per round, baseline and app back to back: the baseline first in even
 * rounds, the app first in odd ones, so neither side always gets the warmer machine.
 */
export async function measureRounds(
  scenarios: Scenario[],
  servers: Servers,
  options: RoundOptions,
  preflights: Map<string, string>,
): Promise<Measured[]> {
  const measured: Measured[] = scenarios.map((scenario) => {
    const problem = preflights.get(scenario.name);
    return { scenario, app: [], baseline: [], ...(problem ? { preflight: problem } : {}) };
  });
  for (let round = 0; round < options.rounds; round++) {
    console.log(`\nround ${round + 1} of ${options.rounds} (${round % 2 === 0 ? "baseline" : "app"} first)`);
    for (const entry of measured) {
      const sides: Side[] = round % 2 === 0 ? ["baseline", "app"] : ["app", "baseline"];
      for (const side of sides) entry[side].push(await measureSide(entry.scenario, side, servers, options));
      const app = entry.app[round];
      const base = entry.baseline[round];
      if (!app || !base) continue;
      const errors = errorsOf(app) + errorsOf(base);
      console.log(
        `  ${entry.scenario.name.padEnd(34)} app ${rate(app)}  ${entry.scenario.baseline} ${rate(base)}  ` +
          `ratio ${(app.requestsPerSecond / base.requestsPerSecond).toFixed(2)}` +
          (errors > 0
            ? `  ERRORS app ${JSON.stringify(app.statuses)} ${entry.scenario.baseline} ${JSON.stringify(base.statuses)}`
            : "") +
          (app.wrong > 0 ? `  WRONG ${app.wrong}: ${app.firstWrong}` : ""),
      );
    }
  }
  return measured;
}

const rate = (r: Run) =>
  `${String(Math.round(r.requestsPerSecond)).padStart(6)} req/s p99 ${r.p99.toFixed(1).padStart(6)} ms ` +
  `server CPU ${String(Math.round(r.serverMicros)).padStart(4)} µs/req`;

export function problemsOf(entry: Measured): string[] {
  const problems: string[] = [];
  if (entry.preflight) problems.push(`preflight: ${entry.preflight}`);
  for (const side of ["app", "baseline"] as const) {
    const errors = entry[side].reduce((sum, r) => sum + errorsOf(r), 0);
    if (errors > 0) {
      const statuses = entry[side].map((r) => JSON.stringify(r.statuses)).join(" ");
      problems.push(`${side}: ${errors} errors (statuses per round ${statuses})`);
    }
  }
  const wrong = entry.app.reduce((sum, r) => sum + r.wrong, 0);
  if (wrong > 0)
    problems.push(`app: ${wrong} wrong answers, first ${entry.app.find((r) => r.firstWrong)?.firstWrong}`);
  return problems;
}
