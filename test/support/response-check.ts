import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
import { PROBLEM_CONTENT_TYPE, problemSchema } from "../../src/http/problem.ts";

/**
 * Every answer a suite receives through `TestApp.request` is held against what the app documents
 * for that operation: a declared status, and a body that parses with the declared schema of that
 * status and content type, with no key the schema does not know.
 */

type Definition = OpenAPIHono["openAPIRegistry"]["definitions"][number];

export interface DocumentedRoute {
  /** `listings.get`, or `GET /v1/listings/{id}` for a route without an operationId. */
  operation: string;
  /** Upper case, as requests carry it. */
  method: string;
  /** The full path template as mounted, e.g. `/v1/listings/{id}`. */
  path: string;
  pattern: RegExp;
  config: RouteConfig;
}

export interface Answer {
  method: string;
  /** A path with an optional query, or a full URL. */
  url: string;
  status: number;
  contentType: string | null;
  text: string;
}

export interface Verdict {
  /** The documented operation that answered, or why none did. */
  operation: string;
  problems: string[];
}

/** Paths the app serves on purpose without documenting them: the document itself and its viewer. */
const UNDOCUMENTED = new Set(["GET /openapi.json", "GET /docs"]);

const isZod = (schema: unknown): schema is z.ZodType =>
  typeof (schema as { safeParse?: unknown } | null)?.safeParse === "function";

const isJson = (mediaType: string) => /^application\/(?:[\w.+-]+\+)?json$/.test(mediaType);

function patternOf(path: string): RegExp {
  const escaped = path
    .split(/\{[^}]+\}/)
    .map((part) => part.replaceAll(/[.*+?^$()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${escaped}$`);
}

/**
 * The routes registered in the app's OpenAPI registry, in registration order (the order Hono
 * matches them in), with their paths as mounted (`/v1/…`, health at `/`).
 */
export function documentedRoutes(app: Pick<OpenAPIHono, "openAPIRegistry">): DocumentedRoute[] {
  return app.openAPIRegistry.definitions
    .filter((d): d is Extract<Definition, { type: "route" }> => d.type === "route")
    .map(({ route }) => ({
      operation: route.operationId ?? `${route.method.toUpperCase()} ${route.path}`,
      method: route.method.toUpperCase(),
      path: route.path,
      pattern: patternOf(route.path),
      config: route,
    }));
}

/** The documented route a request reaches: the first registered that matches method and path. */
export function routeFor(
  routes: DocumentedRoute[],
  method: string,
  path: string,
): DocumentedRoute | undefined {
  const wanted = method === "HEAD" ? "GET" : method;
  return routes.find((r) => r.method === wanted && r.pattern.test(path));
}

/** Keys of `raw` that the schema's output dropped (zod objects strip what they do not know). */
export function extraKeys(raw: unknown, parsed: unknown, at = "body"): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, i) => extraKeys(item, parsed[i], `${at}[${i}]`));
  }
  const isPlain = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
  if (!isPlain(raw) || !isPlain(parsed)) return [];
  return Object.keys(raw).flatMap((key) =>
    key in parsed ? extraKeys(raw[key], parsed[key], `${at}.${key}`) : [`${at}.${key}`],
  );
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${["body", ...issue.path.map(String)].join(".")}: ${issue.message}`);
}

/** Problems with a JSON body held against `schema`: parse issues, then keys it does not document. */
function checkJson(text: string, schema: z.ZodType): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return ["the body is not JSON"];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return issuesOf(parsed.error);
  return extraKeys(raw, parsed.data).map((key) => `undocumented key ${key}`);
}

/** RFC 9457's `status` member, when present, is the answer's status. */
function problemStatus(answer: Answer): string[] {
  const { status } = JSON.parse(answer.text) as { status?: unknown };
  return status === answer.status ? [] : [`the problem document says status ${String(status)}`];
}

function checkProblem(answer: Answer): string[] {
  if (answer.contentType !== PROBLEM_CONTENT_TYPE) {
    return [`content type ${answer.contentType ?? "(none)"}, not ${PROBLEM_CONTENT_TYPE}`];
  }
  const problems = checkJson(answer.text, problemSchema);
  return problems.length > 0 ? problems : problemStatus(answer);
}

function checkDeclared(route: DocumentedRoute, answer: Answer): string[] {
  const declared = route.config.responses[String(answer.status)];
  if (!declared) {
    const statuses = Object.keys(route.config.responses).join(", ");
    return [`status ${answer.status} is not declared (declared: ${statuses})`];
  }
  if ("$ref" in declared)
    return [`status ${answer.status} is declared by $ref, which this check cannot read`];
  const content = declared.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0 || answer.method === "HEAD") {
    return answer.text === "" ? [] : [`status ${answer.status} declares no body, but one came`];
  }
  const mediaType = answer.contentType ?? "(none)";
  const media = content[mediaType];
  if (!media) return [`content type ${mediaType} is not declared (declared: ${mediaTypes.join(", ")})`];
  const schema = "schema" in media ? media.schema : undefined;
  if (!isZod(schema)) return [`the schema of ${mediaType} is not a zod schema`];
  // Text answers (an iCalendar feed) are documented as a string: the body must be one it accepts.
  if (!isJson(mediaType)) {
    const parsed = schema.safeParse(answer.text);
    return parsed.success ? [] : [`the body is not what the ${mediaType} schema accepts`];
  }
  const problems = checkJson(answer.text, schema);
  if (problems.length > 0 || mediaType !== PROBLEM_CONTENT_TYPE) return problems;
  return problemStatus(answer);
}

/** What is wrong with `answer` given the app's documented routes; no problems when it is as documented. */
export function checkAnswer(routes: DocumentedRoute[], answer: Answer): Verdict {
  const method = answer.method.toUpperCase();
  const { pathname } = new URL(answer.url, "http://localhost");
  const emptyStatus = answer.status === 204 || answer.status === 304;
  const bodyless =
    emptyStatus && answer.text !== "" ? [`a ${answer.status} answer must be empty, but has a body`] : [];
  const route = routeFor(routes, method, pathname);
  if (route) {
    const problems = [...bodyless, ...checkDeclared(route, { ...answer, method })];
    return { operation: route.operation, problems: [...new Set(problems)] };
  }
  if (UNDOCUMENTED.has(`${method === "HEAD" ? "GET" : method} ${pathname}`))
    return { operation: "(undocumented on purpose)", problems: [] };
  // A CORS preflight is answered by middleware for any path.
  if (method === "OPTIONS" && answer.status === 204)
    return { operation: "(CORS preflight)", problems: bodyless };
  // No documented operation: only a problem document (404, 405, or an error before routing) may
  // answer; a HEAD answer carries its headers only.
  const problems = method === "HEAD" ? [] : checkProblem(answer);
  return { operation: "(no documented operation)", problems: [...bodyless, ...problems] };
}

/** The verdict as a failure message: method, path, status, what is wrong, and the body. */
export function describeMismatch(answer: Answer, verdict: Verdict): string {
  const { pathname } = new URL(answer.url, "http://localhost");
  const body = answer.text.length > 600 ? `${answer.text.slice(0, 600)}…` : answer.text;
  return [
    `${answer.method.toUpperCase()} ${pathname} → ${answer.status} (${verdict.operation}) is not as documented:`,
    ...verdict.problems.map((p) => `  - ${p}`),
    `  body: ${body || "(empty)"}`,
  ].join("\n");
}

export class UndocumentedAnswer extends Error {
  override name = "UndocumentedAnswer";
}

/** Media type of a Content-Type header, without parameters, lower case. */
export function mediaTypeOf(header: string | null): string | null {
  return header?.split(";")[0]?.trim().toLowerCase() || null;
}
