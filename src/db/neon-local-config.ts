/**
 * neonConfig settings that point `@neondatabase/serverless` at a local neon-local server
 * (test/support/neon-local.ts) instead of Neon. Pure: runs in workerd as well as Node.
 */
export interface LocalNeonConfig {
  /** The driver appends `?address=host:port` taken from the connection string. */
  wsProxy: string;
  useSecureWebSocket: false;
  pipelineTLS: false;
  /** Local PostgreSQL uses trust/SCRAM auth, not the cleartext password pipelining assumes. */
  pipelineConnect: false;
  fetchEndpoint: string;
}

/** `proxy` is the server's `host:port`, without a scheme (e.g. `127.0.0.1:4444`). */
export function localNeonConfig(proxy: string): LocalNeonConfig {
  return {
    wsProxy: `${proxy}/v2`,
    useSecureWebSocket: false,
    pipelineTLS: false,
    pipelineConnect: false,
    fetchEndpoint: `http://${proxy}/sql`,
  };
}
