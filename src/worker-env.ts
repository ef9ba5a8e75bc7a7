import type {
  DurableObjectNamespace,
  ExecutionContext,
  KVNamespace,
  MessageBatch,
  Queue,
  RateLimit,
  ScheduledController,
} from "@cloudflare/workers-types/index.ts";
import type { Job } from "./ports.ts";
import type { ListingCalendar } from "./worker/listing-calendar.ts";

/** The Worker's bindings (wrangler.toml) and variables/secrets (`wrangler secret put`). */
export interface WorkerEnv {
  CACHE: KVNamespace;
  JOBS: Queue<Job>;
  /** One ListingCalendar Durable Object per listing: date-hold lock and hold expiry alarms. */
  LISTING_CALENDAR: DurableObjectNamespace<ListingCalendar>;
  /** Rate-limit bindings, one per (limit, period) rule the app uses; see `[[ratelimits]]` in wrangler.toml. */
  RATE_LIMIT_20_PER_MINUTE: RateLimit;
  RATE_LIMIT_10_PER_MINUTE: RateLimit;
  RATE_LIMIT_5_PER_MINUTE: RateLimit;
  [setting: string]: unknown;
}

export type { ExecutionContext, MessageBatch, ScheduledController };
