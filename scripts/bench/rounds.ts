import { type LoadRequest, type LoadResult, runLoad } from "./load.ts";
import type { Scenario } from "./scenarios.ts";
import type { Servers } from "./servers.ts";
import { sameAsFloor } from "./verify.ts";

export type Side = "app" | "baseline";

/** A measured run, and what it cost the server thread. */
export interface Run extends LoadResult {
  /** CPU time of the server thread per answered request (a REST side: per page), in µs. */
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

/**
 * Where a side of a scenario sends request i: the app and its floor walk one list in one order,
 * a POST floor getting the same body and headers as the app.
 */
function target(
  scenario: Scenario,
  side: Side,
  servers: Servers,
): { url: string; request: (i: number) => LoadRequest } {
  const request = (i: number, path: string): LoadRequest => {
    const body = scenario.bodies?.[i];
    if (body === undefined) return { path };
    return { path, body, headers: { "content-type": "application/json", ...scenario.headers?.(i) } };
  };
  const n = scenario.paths.length;
  if (side === "app") {
    const url = scenario.app === "cached" ? servers.appUrl : servers.uncachedUrl;
    return { url, request: (i) => request(i % n, scenario.paths[i % n] ?? "/") };
  }
  if (scenario.baseline === "ceiling") return { url: servers.bareUrl, request: () => ({ path: "/" }) };
  if (scenario.rest) {
    const { paths } = scenario.rest;
    const url = scenario.app === "cached" ? servers.appUrl : servers.uncachedUrl;
    return { url, request: (i) => ({ path: paths[i % paths.length] ?? "/" }) };
  }
  return { url: servers.bareUrl, request: (i) => request(i % n, `/floor/${scenario.name}/${i % n}`) };
}

async function send(url: string, request: LoadRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(url + request.path, {
    ...(request.body === undefined ? {} : { method: "POST", body: request.body }),
    ...(request.headers ? { headers: request.headers } : {}),
  });
  return { status: response.status, body: await response.text() };
}

const ok = (status: number) => status >= 200 && status <= 299;

/**
 * Before any load: the first requests of the scenario answer 2xx, match their own request, and
 * (against a floor) hold the same listings as the floor's rows for the same request. A booking
 * scenario's side starts from a clean slate (its floor books the same nights as the app).
 */
export async function preflight(scenario: Scenario, servers: Servers): Promise<string | undefined> {
  const app = target(scenario, "app", servers);
  const floor = target(scenario, "baseline", servers);
  // A storm with no floor books one listing's nights: a second request would rightly be refused.
  const count = scenario.burst && scenario.baseline === "none" ? 1 : Math.min(4, scenario.paths.length);
  const answers: string[] = [];
  await scenario.beforeRun?.();
  for (let i = 0; i < count; i++) {
    const request = app.request(i);
    const what = `${request.body === undefined ? "GET" : "POST"} ${request.path}`;
    const answer = await send(app.url, request);
    if (!ok(answer.status)) return `${what} → ${answer.status} ${answer.body.slice(0, 500)}`;
    const problem = scenario.verify(request.path, answer.body, request.body);
    if (problem) return `${what} → ${answer.status} but wrong: ${problem}`;
    answers.push(answer.body);
  }
  if (scenario.rest) {
    for (const path of scenario.rest.paths.slice(0, count * scenario.rest.perPage)) {
      const answer = await send(floor.url, { path });
      if (!ok(answer.status)) return `REST GET ${path} → ${answer.status} ${answer.body.slice(0, 500)}`;
    }
  }
  if (scenario.baseline !== "floor") return undefined;
  await scenario.beforeRun?.();
  for (const [i, answer] of answers.entries()) {
    const request = floor.request(i);
    const rows = await send(floor.url, request);
    if (!ok(rows.status)) return `floor ${request.path} → ${rows.status} ${rows.body.slice(0, 500)}`;
    const differs = (scenario.sameAsFloor ?? sameAsFloor)(answer, rows.body);
    if (differs) return `${app.request(i).path}: the app and its floor differ: ${differs}`;
  }
  return undefined;
}

async function measureSide(
  scenario: Scenario,
  side: Side,
  servers: Servers,
  options: RoundOptions,
): Promise<Run> {
  const { url, request } = target(scenario, side, servers);
  const next = () => {
    let i = 0;
    return () => request(i++);
  };
  // A burst sends a fixed number of requests and waits for every answer; others run for a time.
  const { burst } = scenario;
  const length = (seconds: number, amount = 0) =>
    burst
      ? { amount, connections: Math.min(options.connections, amount) }
      : { durationSeconds: seconds, connections: options.connections };
  if (burst ? burst.warmup > 0 : options.warmup > 0) {
    await scenario.beforeRun?.();
    await runLoad({ url, ...length(options.warmup, burst?.warmup), next: next() });
  }
  await scenario.beforeRun?.();
  const before = await servers.cpuMicros();
  const result = await runLoad({
    url,
    ...length(options.duration, burst?.measured),
    next: next(),
    verify: side === "app" ? scenario.verify : undefined,
  });
  const micros = (await servers.cpuMicros()) - before;
  // A REST side counts pages, as many requests as make one GraphQL query's answer.
  const perPage = side === "baseline" ? (scenario.rest?.perPage ?? 1) : 1;
  return {
    ...result,
    requestsPerSecond: result.requestsPerSecond / perPage,
    serverMicros: (micros * perPage) / Math.max(1, result.requests),
    serverBusy: micros / (result.seconds * 1e6),
  };
}

/** Socket errors, timeouts and answers that are neither 2xx nor one the scenario expects. */
const errorsOf = (r: LoadResult, expected: number[] = []) =>
  r.errors +
  r.timeouts +
  Object.entries(r.statuses)
    .filter(([status]) => !ok(Number(status)) && !expected.includes(Number(status)))
    .reduce((sum, [, count]) => sum + count, 0);

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
      const { scenario } = entry;
      const order: Side[] = round % 2 === 0 ? ["baseline", "app"] : ["app", "baseline"];
      const sides = scenario.baseline === "none" ? (["app"] as const) : order;
      for (const side of sides) entry[side].push(await measureSide(scenario, side, servers, options));
      const app = entry.app[round];
      const base = entry.baseline[round];
      if (!app) continue;
      const errors = errorsOf(app, scenario.expected) + (base ? errorsOf(base, scenario.expected) : 0);
      const statuses = (r: Run) => JSON.stringify(r.statuses);
      console.log(
        `  ${scenario.name.padEnd(34)} app ${rate(app)}` +
          (base
            ? `  ${scenario.baseline} ${rate(base)}  ratio ${(app.requestsPerSecond / base.requestsPerSecond).toFixed(2)}`
            : "") +
          (scenario.burst ? `  statuses ${statuses(app)}${base ? ` / ${statuses(base)}` : ""}` : "") +
          (errors > 0
            ? `  ERRORS app ${statuses(app)}${base ? ` ${scenario.baseline} ${statuses(base)}` : ""}`
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
  const { expected, check } = entry.scenario;
  for (const side of ["app", "baseline"] as const) {
    const errors = entry[side].reduce((sum, r) => sum + errorsOf(r, expected), 0);
    if (errors > 0) {
      const statuses = entry[side].map((r) => JSON.stringify(r.statuses)).join(" ");
      problems.push(`${side}: ${errors} errors (statuses per round ${statuses})`);
    }
    entry[side].forEach((run, round) => {
      const problem = check?.(run);
      if (problem) problems.push(`${side}, round ${round + 1}: ${problem}`);
    });
  }
  const wrong = entry.app.reduce((sum, r) => sum + r.wrong, 0);
  if (wrong > 0)
    problems.push(`app: ${wrong} wrong answers, first ${entry.app.find((r) => r.firstWrong)?.firstWrong}`);
  return problems;
}
