/** Where the Worker points when the run has no PostgreSQL (no DATABASE_URL): nothing listens there. */
export const UNREACHABLE_DATABASE_URL = "postgres://nobody@127.0.0.1:9/none";
