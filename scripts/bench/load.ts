import { createRequire } from "node:module";

/** The part of autocannon's programmatic API the bench uses (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (
    request: { path: string; [key: string]: unknown },
    context: Record<string, unknown>,
  ) => { path: string };
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
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

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** The path of each request; called once per request, so it can rotate ids or defeat caches. */
  nextPath: () => string;
  /** Checks an answer against its request (undefined: right); run on one 200 answer in `verifyEvery`. */
  verify?: ((path: string, body: string) => string | undefined) | undefined;
  verifyEvery?: number;
}

export interface LoadResult {
  requests: number;
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

/** One autocannon run against `url` with a path per request. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const verify = options.verify;
  const every = options.verifyEvery ?? 20;
  let seen = 0;
  let verified = 0;
  let wrong = 0;
  let firstWrong: string | undefined;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    requests: [
      {
        method: "GET",
        setupRequest: (request, context) => {
          const path = options.nextPath();
          context.path = path;
          return { ...request, path };
        },
        ...(verify
          ? {
              onResponse: (status: number, body: string, context: Record<string, unknown>) => {
                if (status !== 200 || seen++ % every !== 0) return;
                verified++;
                const path = String(context.path);
                let problem: string | undefined;
                try {
                  problem = verify(path, body);
                } catch (error) {
                  problem = `unreadable answer (${error instanceof Error ? error.message : error})`;
                }
                if (problem) {
                  wrong++;
                  firstWrong ??= `GET ${path}: ${problem}`;
                }
              },
            }
          : {}),
      },
    ],
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000 || result.duration;
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
