/**
 * How often a failing job is tried, and how long it waits between tries: the same on every engine
 * (the in-process queue's timers, pg-boss's retryLimit/retryDelay/retryBackoff, Cloudflare Queues'
 * `retry({ delaySeconds })` and `max_retries` in wrangler.toml).
 */
export interface RetryPolicy {
  /** Tries in all, the first included; after the last one fails the job is dead. */
  maxAttempts: number;
  /** The wait after the first failure, before jitter. */
  baseDelaySeconds: number;
  /** No wait is longer. */
  maxDelaySeconds: number;
}

/** The policy the settings give (JOB_MAX_ATTEMPTS, JOB_RETRY_DELAY_SECONDS, JOB_RETRY_DELAY_MAX_SECONDS). */
export function retryPolicyOf(config: {
  JOB_MAX_ATTEMPTS: number;
  JOB_RETRY_DELAY_SECONDS: number;
  JOB_RETRY_DELAY_MAX_SECONDS: number;
}): RetryPolicy {
  return {
    maxAttempts: config.JOB_MAX_ATTEMPTS,
    baseDelaySeconds: config.JOB_RETRY_DELAY_SECONDS,
    maxDelaySeconds: config.JOB_RETRY_DELAY_MAX_SECONDS,
  };
}

/**
 * The wait after failed attempt `attempt` (1 for the first): exponential with jitter,
 * `base · 2^(attempt-1) · (1 + random)`, so between `base · 2^(attempt-1)` and twice that, capped at
 * `maxDelaySeconds`. It is pg-boss's own formula (`retryBackoff`), so all engines space tries alike.
 */
export function retryDelaySeconds(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(16, Math.max(0, attempt - 1));
  const delay = policy.baseDelaySeconds * 2 ** exponent * (1 + random());
  return Math.min(policy.maxDelaySeconds, delay);
}

/** Whether attempt `attempt` (1 for the first) is the last one the policy allows. */
export function isLastAttempt(policy: RetryPolicy, attempt: number): boolean {
  return attempt >= policy.maxAttempts;
}
