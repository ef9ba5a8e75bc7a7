/**
 * The parts of workerd's `cloudflare:workers` and `cloudflare:test` modules these tests use.
 * The official declarations (@cloudflare/workers-types globals, @cloudflare/vitest-plugin/types)
 * redeclare Request, Response, fetch… over the DOM lib the rest of the project compiles with, so
 * they cannot join the root program; these borrow the module-form workers types instead.
 */
declare module "cloudflare:workers" {
  import type { WorkerEnv } from "../../src/worker-env.ts";

  /** Bindings from wrangler.toml plus the vitest project's `miniflare.bindings`. */
  export const env: WorkerEnv & {
    DATABASE_URL: string;
    NEON_LOCAL_PROXY: string;
    STRIPE_SECRET_KEY: string;
    STRIPE_WEBHOOK_SECRET: string;
    STRIPE_API_URL: string;
  };

  /** Loopback to the main module (wrangler.toml `main`): requests go through the real Worker. */
  export const exports: {
    default: { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> };
  };
}

declare module "cloudflare:test" {
  import type {
    DurableObjectState,
    DurableObjectStub,
    ExecutionContext,
    MessageBatch,
    Rpc,
    ScheduledController,
  } from "@cloudflare/workers-types/index.ts";

  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: Date | number;
    cron?: string;
  }): ScheduledController;
  export function reset(): Promise<void>;
  /** A batch for a `queue()` handler, as Queues would deliver it from `queueName`. */
  export function createMessageBatch<Body = unknown>(
    queueName: string,
    messages: { id: string; timestamp: Date | number; attempts: number; body: Body }[],
  ): MessageBatch<Body>;
  /** What a `queue()` handler did with a batch of createMessageBatch(): acks and retries. */
  export function getQueueResult(
    batch: MessageBatch,
    ctx: ExecutionContext,
  ): Promise<{
    outcome: string;
    ackAll: boolean;
    retryBatch: { retry: boolean; delaySeconds?: number };
    explicitAcks: string[];
    retryMessages: { msgId: string; delaySeconds?: number }[];
  }>;
  /** Runs `callback` inside the object `stub` points to, with its instance and state (storage). */
  export function runInDurableObject<O extends Rpc.DurableObjectBranded, R>(
    stub: DurableObjectStub<O>,
    callback: (instance: O, state: DurableObjectState) => R | Promise<R>,
  ): Promise<R>;
  /** Runs the object's scheduled alarm now, if it has one, and removes it; true if one ran. */
  export function runDurableObjectAlarm<O extends Rpc.DurableObjectBranded>(
    stub: DurableObjectStub<O>,
  ): Promise<boolean>;
}
