import type { RouteHandler } from "@hono/zod-openapi";
import { addCalendarImport } from "../../domain/calendar-sync/add-calendar-import.ts";
import { exportCalendar } from "../../domain/calendar-sync/export-calendar.ts";
import { getExportUrl } from "../../domain/calendar-sync/get-export-url.ts";
import { listCalendarImports } from "../../domain/calendar-sync/list-calendar-imports.ts";
import { removeCalendarImport } from "../../domain/calendar-sync/remove-calendar-import.ts";
import { rotateExportUrl } from "../../domain/calendar-sync/rotate-export-url.ts";
import { domainContext } from "../../http/context.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./calendar-sync.routes.ts";

/** RFC 9110 §13.1.2: If-None-Match compares weakly (`W/"x"` matches `"x"`), and `*` matches any. */
const matches = (header: string | undefined, etag: string) =>
  header
    ?.split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag.replace(/^W\//, "")) ?? false;

export const exportHandler: RouteHandler<typeof routes.exportCalendar, AppEnv> = async (c) => {
  const { ics, etag } = await exportCalendar({
    ctx: domainContext(c),
    input: { ...c.req.valid("param"), ...c.req.valid("query"), clientIp: c.get("clientIp") },
  });
  // Revalidated on every read, and never kept by a shared cache: a rotated URL stops working at once.
  const headers = { ETag: etag, "Cache-Control": "private, no-cache" };
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(ics, 200, { ...headers, "Content-Type": "text/calendar; charset=utf-8" });
};

export const exportUrlHandler: RouteHandler<typeof routes.getExportUrl, AppEnv> = async (c) =>
  c.json(
    await getExportUrl({
      ctx: domainContext(c),
      input: { ...c.req.valid("param"), origin: new URL(c.req.url).origin },
    }),
    200,
  );

export const rotateHandler: RouteHandler<typeof routes.rotateExportUrl, AppEnv> = async (c) =>
  c.json(
    await rotateExportUrl({
      ctx: domainContext(c),
      input: { ...c.req.valid("param"), origin: new URL(c.req.url).origin },
    }),
    200,
  );

export const listImportsHandler: RouteHandler<typeof routes.listImports, AppEnv> = async (c) =>
  c.json(await listCalendarImports({ ctx: domainContext(c), input: c.req.valid("param") }), 200);

export const addImportHandler: RouteHandler<typeof routes.addImport, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const added = await addCalendarImport({ ctx: domainContext(c), input: { id, ...c.req.valid("json") } });
  return c.json(added, 201, { Location: `/v1/listings/${id}/calendar/imports` });
};

export const removeImportHandler: RouteHandler<typeof routes.removeImport, AppEnv> = async (c) => {
  await removeCalendarImport({ ctx: domainContext(c), input: c.req.valid("param") });
  return c.body(null, 204);
};
