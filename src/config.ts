import { z } from "zod";

const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const percent = (fallback: number) => z.coerce.number().min(0).max(100).multipleOf(0.01).default(fallback);

/** Settings shared by both runtimes. Parsed once at start; unknown keys are ignored. */
export const configSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Comma-separated origins allowed by CORS; `*` allows any (without credentials). */
  CORS_ORIGINS: csv.default([]),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: positiveInt(1_048_576),
  /** Public base URL, used in links the API hands out (password-reset e-mails). */
  PUBLIC_URL: z.url().optional(),
  /** HMAC key for access tokens (HS256). At least 32 characters; changing it voids live access tokens (clients refresh). */
  JWT_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** The account registered with this e-mail becomes an admin: the first admin; admins grant the others. */
  ADMIN_EMAIL: z.email().optional(),
  /** Upstash Redis (REST): when set, it backs the cache and the rate limiter. Set both or neither. */
  UPSTASH_REDIS_REST_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** The guest's service fee, the host's, and taxes: percent of a stay's price (nights after discount, and cleaning). */
  GUEST_SERVICE_FEE_PERCENT: percent(14),
  HOST_SERVICE_FEE_PERCENT: percent(3),
  TAX_PERCENT: percent(0),
  /** How long an instant booking holds its dates for payment. */
  PAYMENT_WINDOW_MINUTES: positiveInt(15),
  /** How long a booking request holds its dates for the host's answer. */
  HOST_RESPONSE_HOURS: positiveInt(24),
  /**
   * Background jobs: tries in all before a failing job is dead and listed for admins. Six tries
   * span about 15 to 30 minutes with the default delays: a provider's short outage is ridden out,
   * a broken job reaches the admins the same hour. On Workers, wrangler.toml's `max_retries` is this
   * minus one.
   */
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** The wait after a job's first failure, in seconds; it doubles with each try, with jitter. Whole seconds on pg-boss. */
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().positive().default(30),
  /** The longest wait between two tries of a job, in seconds. */
  JOB_RETRY_DELAY_MAX_SECONDS: z.coerce.number().positive().default(3600),
  /** Stripe's secret key. Without it (never in production) payments are simulated in process. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, "must be a Stripe secret key (sk_…)")
    .optional(),
  /** The signing secret of the Stripe webhook endpoint (`whsec_…`); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .startsWith("whsec_", "must be a webhook signing secret (whsec_…)")
    .optional(),
  /** Another Stripe API base URL (a local fake in tests); Stripe's own by default. */
  STRIPE_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Who delivers e-mail: `log` (written to the log, the embedded default) or `resend`. Unset:
   * `resend` when RESEND_API_KEY is set, else `log`.
   */
  MAIL_PROVIDER: z.enum(["log", "resend"]).optional(),
  /** Resend's API key (`re_…`), with sending access; required for MAIL_PROVIDER=resend. */
  RESEND_API_KEY: z
    .string()
    .regex(/^re_\w+$/, "must be a Resend API key (re_…)")
    .optional(),
  /** The sender of every e-mail, `Name <address>` or an address, at a domain the provider verified. */
  MAIL_FROM: z
    .string()
    .regex(
      /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
      "must be an address or Name <address>",
    )
    .optional(),
  /** Another Resend API base URL (a local fake in tests); Resend's own by default. */
  RESEND_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How long after check-in a host's share is transferred to them. */
  PAYOUT_DELAY_HOURS: z.coerce.number().int().min(0).default(24),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly settings: string[];
  constructor(issues: ReadonlyArray<{ setting: string; message: string }>) {
    super(`Invalid configuration: ${issues.map((i) => `${i.setting}: ${i.message}`).join("; ")}`);
    this.name = "ConfigError";
    this.settings = issues.map((i) => i.setting);
  }
}

/** Parses `source` with `schema`, naming every bad setting; never echoes a value (it may be a secret). */
export function parseSettings<S extends z.ZodType>(schema: S, source: Record<string, unknown>): z.infer<S> {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      setting: issue.path.map(String).join(".") || "(root)",
      message: issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
    })),
  );
}

export function parseConfig(source: Record<string, unknown>): Config {
  return parseSettings(configSchema, source);
}

/** The Upstash settings when configured; one without the other is a configuration error. */
export function upstashSettings(config: Config): { url: string; token: string } | undefined {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = config;
  if (url && token) return { url, token };
  if (!url && !token) return undefined;
  const missing = url ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL";
  throw new ConfigError([
    { setting: missing, message: "is required when the other UPSTASH_ setting is set" },
  ]);
}

export type PaymentSettings =
  | { simulated: true }
  | { simulated: false; secretKey: string; webhookSecret: string; apiUrl: URL | undefined };

/**
 * Real Stripe when STRIPE_SECRET_KEY is set (its webhook secret then too); otherwise simulated
 * payments, which production refuses.
 */
export function paymentSettings(config: Config): PaymentSettings {
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_URL } = config;
  if (!secretKey) {
    if (config.APP_ENV === "production") {
      throw new ConfigError([{ setting: "STRIPE_SECRET_KEY", message: "is required in production" }]);
    }
    return { simulated: true };
  }
  if (!webhookSecret) {
    throw new ConfigError([
      { setting: "STRIPE_WEBHOOK_SECRET", message: "is required with STRIPE_SECRET_KEY" },
    ]);
  }
  return {
    simulated: false,
    secretKey,
    webhookSecret,
    apiUrl: STRIPE_API_URL ? new URL(STRIPE_API_URL) : undefined,
  };
}

export type MailSettings =
  | { provider: "log" }
  | { provider: "resend"; apiKey: string; from: string; apiUrl: URL | undefined };

/**
 * Resend when MAIL_PROVIDER says so, or RESEND_API_KEY is set (its key and MAIL_FROM are then
 * required); otherwise e-mails are written to the log, bodies left out in production. Production
 * needs a provider (password resets and booking news must reach people) and PUBLIC_URL (the links
 * in them), unless MAIL_PROVIDER=log is set on purpose.
 */
export function mailSettings(config: Config): MailSettings {
  const { RESEND_API_KEY: apiKey, MAIL_FROM: from, RESEND_API_URL } = config;
  const production = config.APP_ENV === "production";
  const provider = config.MAIL_PROVIDER ?? (apiKey || production ? "resend" : "log");
  if (provider === "log") return { provider };
  const needs = production
    ? "is required in production (or MAIL_PROVIDER=log)"
    : "is required when e-mail goes through Resend";
  const missing = [
    !apiKey && "RESEND_API_KEY",
    !from && "MAIL_FROM",
    production && !config.PUBLIC_URL && "PUBLIC_URL",
  ].filter((name) => name !== false);
  if (!apiKey || !from || missing.length > 0) {
    throw new ConfigError(missing.map((setting) => ({ setting, message: needs })));
  }
  return { provider, apiKey, from, apiUrl: RESEND_API_URL ? new URL(RESEND_API_URL) : undefined };
}
