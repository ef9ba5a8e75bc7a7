import createClient, { type Client } from "openapi-fetch";
import { idempotencyKeys } from "./idempotency.ts";
import { problemOf, throwProblems } from "./problem.ts";
import type { paths } from "./schema.ts";
import { createSession, type Fetch, type Session, type Tokens } from "./session.ts";

export type { FieldError, Problem, ProblemCode } from "./problem.ts";
export { StayedgeProblem } from "./problem.ts";
export type { components, operations, paths } from "./schema.ts";
export type { Fetch, Tokens } from "./session.ts";

export interface StayedgeClientOptions {
  /** Where the API is, e.g. `http://localhost:8787` (the paths start with `/v1`). */
  baseUrl: string;
  fetch?: Fetch;
  /** A session to resume; otherwise call `setTokens` after `POST /v1/auth/login`. */
  tokens?: Tokens;
  /** Called whenever the tokens change (store them to resume later); `undefined` once the session ended. */
  onTokens?: (tokens: Tokens | undefined) => void;
}

/** An `openapi-fetch` client of the stayedge API that signs requests in and throws `StayedgeProblem`s. */
export type StayedgeClient = Client<paths> & Pick<Session, "tokens" | "setTokens">;

export function createStayedgeClient(options: StayedgeClientOptions): StayedgeClient {
  const fetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  // The refresh goes out on a client of its own: no bearer token, no retry.
  const plain = createClient<paths>({ baseUrl: options.baseUrl, fetch });
  const session = createSession({
    tokens: options.tokens,
    onTokens: options.onTokens,
    fetch,
    async refresh(refreshToken) {
      const { data, response } = await plain.POST("/v1/auth/refresh", { body: { refreshToken } });
      if (data) return { accessToken: data.accessToken, refreshToken: data.refreshToken };
      if (response.status === 401) return undefined;
      throw (await problemOf(response)) ?? new Error(`stayedge: refresh answered ${response.status}`);
    },
  });
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: session.fetch });
  client.use(idempotencyKeys, throwProblems);
  return Object.assign(client, { tokens: session.tokens, setTokens: session.setTokens });
}

/**
 * The data of a successful call. A problem answer has already thrown its `StayedgeProblem`; any
 * other unsuccessful answer (a proxy's HTML page, a 304) throws here.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, response } = await call;
  if (!response.ok) throw new Error(`stayedge: ${response.status} ${response.statusText}`);
  // openapi-fetch leaves `data` undefined only for an empty answer (204), whose type is `undefined`.
  return data as T;
}
