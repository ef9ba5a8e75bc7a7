import { createRequire } from "node:module";

/** The part of autocannon's programmatic API the bench uses (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (
    request: { path: string; headers?: Record<string, string>; [key: string]: unknown },
    context: Record<string, unknown>,
  ) => { path: string; method?: string; body?: string; headers?: Record<string, string> };
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests?: AutocannonRequest[];
}

interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  start: Date;
  finish: Date;
}

interface AutocannonInstance extends Promise<AutocannonResult> {
  on(
    event: "response",
    listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
  ): void;
}

type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** One request: a GET of `path`, or a POST of a JSON `body`. */
export interface LoadRequest {
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Checks an answer against its request: undefined when right, else what is wrong. */
export type Verify = (path: string, answer: string, requestBody?: string) => string | undefined;

export interface LoadOptions {
  url: string;
  connections: number;
  /** Load for this long, or send exactly `amount` requests (a burst) and wait for every answer. */
  durationSeconds?: number;
  amount?: number;
  /** Each request; called once per request, so it can rotate ids or defeat caches. */
  next: () => LoadRequest;
  /** Run on one 2xx answer in `verifyEvery`. */
  verify?: Verify | undefined;
  verifyEvery?: number;
}

export interface LoadResult {
  requests: number;
  /** From the first request sent to the last answer (a burst's time to drain). */
  seconds: number;
  requestsPerSecond: number;
  /** Milliseconds, measured per response (autocannon's own histogram rounds to whole ms). */
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<number, number>;
  verified: number;
  /** Verified answers that did not match their request, and the first of them. */
  wrong: number;
  firstWrong?: string;
}

/** One autocannon run against `url`, a request at a time per connection. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const verify = options.verify;
  const every = options.verifyEvery ?? 20;
  let seen = 0;
  let verified = 0;
  let wrong = 0;
  let firstWrong: string | undefined;
  // autocannon ends a run on a whole-second tick: a burst is timed to its last answer here.
  const started = performance.now();
  let lastAnswer = started;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 1 }),
    timeout: 10,
    requests: [
      {
        method: "GET",
        setupRequest: (request, context) => {
          const next = options.next();
          context.request = next;
          if (next.body === undefined) return { ...request, path: next.path };
          const headers = { ...request.headers, "content-type": "application/json", ...next.headers };
          return { ...request, method: "POST", path: next.path, body: next.body, headers };
        },
        ...(verify
          ? {
              onResponse: (status: number, body: string, context: Record<string, unknown>) => {
                if (status < 200 || status > 299 || seen++ % every !== 0) return;
                verified++;
                const request = context.request as LoadRequest;
                let problem: string | undefined;
                try {
                  problem = verify(request.path, body, request.body);
                } catch (error) {
                  problem = `unreadable answer (${error instanceof Error ? error.message : error})`;
                }
                if (problem) {
                  wrong++;
                  firstWrong ??= `${request.body === undefined ? "GET" : "POST"} ${request.path}: ${problem}`;
                }
              },
            }
          : {}),
      },
    ],
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    lastAnswer = performance.now();
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const seconds = options.amount
    ? (lastAnswer - started) / 1000
    : (result.finish.getTime() - result.start.getTime()) / 1000 || result.duration;
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    verified,
    wrong,
    ...(firstWrong ? { firstWrong } : {}),
  };
}
