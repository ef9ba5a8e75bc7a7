export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export type Fetch = (request: Request) => Promise<Response>;

export interface SessionOptions {
  tokens?: Tokens | undefined;
  /** Called whenever the tokens change: set, refreshed, or gone (`undefined`) when the session ended. */
  onTokens?: ((tokens: Tokens | undefined) => void) | undefined;
  /** Exchanges a refresh token for a new pair; `undefined` when the server refuses it (401). */
  refresh(refreshToken: string): Promise<Tokens | undefined>;
  fetch: Fetch;
}

export interface Session {
  tokens(): Tokens | undefined;
  setTokens(tokens: Tokens | undefined): void;
  /** `fetch` with `Authorization: Bearer`; on a 401 it refreshes the tokens once and retries. */
  fetch: Fetch;
}

export function createSession(options: SessionOptions): Session {
  let current = options.tokens;
  let refreshing: Promise<Tokens | undefined> | undefined;

  const setTokens = (tokens: Tokens | undefined) => {
    current = tokens;
    options.onTokens?.(tokens);
  };

  // A refresh token works once (using it twice ends the session), so concurrent 401s share one refresh.
  const renew = (rejected: string): Promise<Tokens | undefined> => {
    if (!current || current.accessToken !== rejected) return Promise.resolve(current);
    refreshing ??= options
      .refresh(current.refreshToken)
      .then((tokens) => {
        setTokens(tokens);
        return tokens;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  const send = async (request: Request): Promise<Response> => {
    const token = current?.accessToken;
    // A caller's own Authorization header is theirs to manage.
    if (!token || request.headers.has("authorization")) return options.fetch(request);
    request.headers.set("authorization", `Bearer ${token}`);
    const retry = request.clone();
    const response = await options.fetch(request);
    if (response.status !== 401) return response;
    const renewed = await renew(token);
    if (!renewed) return response;
    await response.body?.cancel();
    retry.headers.set("authorization", `Bearer ${renewed.accessToken}`);
    return options.fetch(retry);
  };

  return { tokens: () => current, setTokens, fetch: send };
}
