/**
 * The part of workerd's `cloudflare:workers` module the Worker's own code uses, borrowed from the
 * module-form workers types: the global-form declarations redeclare Request, Response, fetch… over
 * the DOM lib the project compiles with. (test/worker adds the test-only exports to this module.)
 */
declare module "cloudflare:workers" {
  import type { CloudflareWorkersModule } from "@cloudflare/workers-types/index.ts";

  export const DurableObject: typeof CloudflareWorkersModule.DurableObject;
  export type DurableObject<Env = unknown, Props = unknown> = CloudflareWorkersModule.DurableObject<
    Env,
    Props
  >;
}
