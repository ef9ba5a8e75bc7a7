/**
 * Compares a released OpenAPI document with the current one, operation by operation, and lists
 * the changes that break a client written against the release. The rule is substitutability:
 * every request the release accepted must still be accepted, and every answer the current API
 * can give must still fit what the release promised. Additions (operations, optional request
 * properties, response properties, statuses, enum values) are not breaking: clients ignore what
 * they do not know.
 */

export type BreakingKind =
  | "operation-removed"
  | "operation-moved"
  | "success-status-removed"
  | "media-type-removed"
  | "response-header-removed"
  | "response-property-removed"
  | "response-property-optional"
  | "response-nullable"
  | "request-body-required"
  | "request-property-required"
  | "request-property-removed"
  | "request-parameter-required"
  | "request-parameter-removed"
  | "request-enum-narrowed"
  | "request-constraint-narrowed"
  | "type-changed";

export type BreakingChange = { operation: string; where: string; kind: BreakingKind };

export type Schema = {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  const?: unknown;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
} & { [constraint in Bound]?: number };

type Ref = { $ref: string };
type Media = { schema?: Schema };
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Response = { content?: Record<string, Media>; headers?: Record<string, unknown> };
export type Operation = {
  operationId?: string;
  parameters?: (Parameter | Ref)[];
  requestBody?: { required?: boolean; content?: Record<string, Media> } | Ref;
  responses?: Record<string, Response | Ref>;
};
export type OpenApiDocument = {
  info: { version: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};

type Direction = "request" | "response";
type Bound = "minLength" | "maxLength" | "minimum" | "maximum" | "minItems" | "maxItems";
/** Request bounds that refuse more when they grow (`min…`) or shrink (`max…`). */
const LOWER: Bound[] = ["minLength", "minimum", "minItems"];
const UPPER: Bound[] = ["maxLength", "maximum", "maxItems"];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

class Comparison {
  readonly changes: BreakingChange[] = [];
  private operation = "";
  private seen = new Set<string>();

  private readonly released: OpenApiDocument;
  private readonly current: OpenApiDocument;

  constructor(released: OpenApiDocument, current: OpenApiDocument) {
    this.released = released;
    this.current = current;
  }

  run(): BreakingChange[] {
    const now = operationsOf(this.current);
    for (const [key, before] of operationsOf(this.released)) {
      this.operation = key;
      this.seen = new Set();
      const after = now.get(key);
      if (!after) this.flag("", "operation-removed");
      else if (after.at !== before.at) this.flag(`${before.at} → ${after.at}`, "operation-moved");
      else this.operationPair(before.operation, after.operation);
    }
    return this.changes;
  }

  private flag(where: string, kind: BreakingKind): void {
    this.changes.push({ operation: this.operation, where, kind });
  }

  private operationPair(before: Operation, after: Operation): void {
    this.parameters(before, after);
    const oldBody = before.requestBody && deref(this.released, before.requestBody);
    const newBody = after.requestBody && deref(this.current, after.requestBody);
    if (newBody?.required && !oldBody?.required) this.flag("request body", "request-body-required");
    if (oldBody && newBody) this.content("request", "request body", oldBody.content, newBody.content);
    this.responses(before, after);
  }

  private parameters(before: Operation, after: Operation): void {
    const oldParams = parametersOf(this.released, before);
    const newParams = parametersOf(this.current, after);
    for (const [key, parameter] of newParams) {
      const old = oldParams.get(key);
      if (parameter.required && !old?.required) this.flag(`parameter ${key}`, "request-parameter-required");
      if (old) this.schema("request", `parameter ${key}`, old.schema, parameter.schema);
    }
    for (const key of oldParams.keys()) {
      if (!newParams.has(key)) this.flag(`parameter ${key}`, "request-parameter-removed");
    }
  }

  /** Error answers are compared too where both document them; only a success status may not go. */
  private responses(before: Operation, after: Operation): void {
    const newResponses = after.responses ?? {};
    for (const [status, ref] of Object.entries(before.responses ?? {})) {
      const next = newResponses[status];
      if (!next) {
        if (status.startsWith("2")) this.flag(`response ${status}`, "success-status-removed");
        continue;
      }
      const old = deref<Response>(this.released, ref);
      const now = deref<Response>(this.current, next);
      const headers = new Set(Object.keys(now.headers ?? {}).map((h) => h.toLowerCase()));
      for (const header of Object.keys(old.headers ?? {})) {
        if (!headers.has(header.toLowerCase())) {
          this.flag(`response ${status} header ${header}`, "response-header-removed");
        }
      }
      this.content("response", `response ${status}`, old.content, now.content);
    }
  }

  private content(
    direction: Direction,
    where: string,
    before: Record<string, Media> = {},
    after: Record<string, Media> = {},
  ): void {
    for (const [type, media] of Object.entries(before)) {
      const next = after[type];
      if (!next) this.flag(`${where} ${type}`, "media-type-removed");
      else this.schema(direction, `${where} ${type}`, media.schema, next.schema);
    }
  }

  private schema(direction: Direction, where: string, beforeRaw?: Schema, afterRaw?: Schema): void {
    if (!beforeRaw || !afterRaw) return;
    const pair = `${direction} ${beforeRaw.$ref ?? where} ${afterRaw.$ref ?? where}`;
    if (this.seen.has(pair)) return; // a recursive schema, already being compared
    this.seen.add(pair);
    const before = flatten(this.released, beforeRaw);
    const after = flatten(this.current, afterRaw);

    this.types(direction, where, before, after);
    if (direction === "request") this.requestValues(where, before, after);
    this.properties(direction, where, before, after);
    this.schema(direction, `${where}[]`, before.items, after.items);
    if (typeof before.additionalProperties === "object" && typeof after.additionalProperties === "object") {
      this.schema(direction, `${where}{}`, before.additionalProperties, after.additionalProperties);
    }
    for (const keyword of ["anyOf", "oneOf"] as const)
      this.variants(direction, where, keyword, before, after);
  }

  private types(direction: Direction, where: string, before: Schema, after: Schema): void {
    const old = typesOf(before);
    const now = typesOf(after);
    // A response may only answer with types the release promised; a request must still take them all.
    const [narrow, wide] = direction === "response" ? [now, old] : [old, now];
    if (!wide) return;
    const escaped = narrow ? [...narrow].filter((t) => !covers(wide, t)) : ["any"];
    if (escaped.length === 0) return;
    const onlyNull = direction === "response" && escaped.every((t) => t === "null");
    this.flag(where || "schema", onlyNull ? "response-nullable" : "type-changed");
  }

  private requestValues(where: string, before: Schema, after: Schema): void {
    const allowed = valuesOf(after);
    if (allowed) {
      const previous = valuesOf(before);
      const lost = previous ? previous.some((v) => !allowed.some((a) => same(a, v))) : true;
      if (lost) this.flag(where || "schema", "request-enum-narrowed");
    }
    const raised = (bound: Bound, sign: 1 | -1) => {
      const [was, is] = [before[bound], after[bound]];
      return is !== undefined && (was === undefined || sign * (is - was) > 0);
    };
    const tighter =
      LOWER.some((bound) => raised(bound, 1)) ||
      UPPER.some((bound) => raised(bound, -1)) ||
      (after.pattern !== undefined && after.pattern !== before.pattern);
    if (tighter) this.flag(where || "schema", "request-constraint-narrowed");
  }

  private properties(direction: Direction, where: string, before: Schema, after: Schema): void {
    const oldProps = before.properties ?? {};
    const newProps = after.properties ?? {};
    const oldRequired = new Set(before.required ?? []);
    const newRequired = new Set(after.required ?? []);
    for (const [name, schema] of Object.entries(oldProps)) {
      const path = `${where}.${name}`;
      const next = newProps[name];
      if (!next) {
        this.flag(path, direction === "response" ? "response-property-removed" : "request-property-removed");
        continue;
      }
      if (direction === "response" && oldRequired.has(name) && !newRequired.has(name)) {
        this.flag(path, "response-property-optional");
      }
      this.schema(direction, path, schema, next);
    }
    if (direction === "request") {
      for (const name of newRequired) {
        if (!oldRequired.has(name)) this.flag(`${where}.${name}`, "request-property-required");
      }
    }
  }

  /** Variants are matched by position: a client relies on the ones the release listed. */
  private variants(
    direction: Direction,
    where: string,
    keyword: "anyOf" | "oneOf",
    before: Schema,
    after: Schema,
  ): void {
    const old = before[keyword] ?? [];
    const now = after[keyword] ?? [];
    for (const [i, variant] of old.entries())
      this.schema(direction, `${where}<${keyword}${i}>`, variant, now[i]);
    const dropped = direction === "request" && now.length < old.length && old.length > 0;
    const added = direction === "response" && now.length > old.length && old.length > 0;
    if (dropped || added) this.flag(`${where}<${keyword}>`, "type-changed");
  }
}

export function breakingChanges(released: OpenApiDocument, current: OpenApiDocument): BreakingChange[] {
  return new Comparison(released, current).run();
}

export function describeChange({ operation, where, kind }: BreakingChange): string {
  return `${operation}${where ? ` ${where}` : ""}: ${kind}`;
}

/** Operations keyed by operationId (or by method and path when they have none). */
function operationsOf(doc: OpenApiDocument): Map<string, { at: string; operation: Operation }> {
  const found = new Map<string, { at: string; operation: Operation }>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const at = `${method.toUpperCase()} ${path}`;
      found.set(operation.operationId ?? at, { at, operation });
    }
  }
  return found;
}

/** Header names are case-insensitive: keyed lower-case. */
function parametersOf(doc: OpenApiDocument, operation: Operation): Map<string, Parameter> {
  const found = new Map<string, Parameter>();
  for (const raw of operation.parameters ?? []) {
    const parameter = deref<Parameter>(doc, raw);
    const name = parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name;
    found.set(`${parameter.in} ${name}`, parameter);
  }
  return found;
}

function deref<T>(doc: OpenApiDocument, node: T | Ref): T {
  let value: unknown = node;
  for (let hops = 0; isRef(value); hops++) {
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(value.$ref);
    const target = match && doc.components?.[match[1] ?? ""]?.[decodeURIComponent(match[2] ?? "")];
    if (!target || hops > 32) throw new Error(`cannot resolve ${value.$ref}`);
    value = target;
  }
  return value as T;
}

function isRef(value: unknown): value is Ref {
  return typeof value === "object" && value !== null && typeof (value as Ref).$ref === "string";
}

/**
 * Resolves `$ref`s and merges `allOf` into one schema, as a validator would apply all its parts. A
 * nullable union (`anyOf: [X, { type: "null" }]`) is X admitting null too: the same promise as
 * `type: [..., "null"]`, however the generator spells it.
 */
function flatten(doc: OpenApiDocument, raw: Schema): Schema {
  const schema = deref<Schema>(doc, raw);
  const union = schema.anyOf ?? schema.oneOf;
  const isNull = (branch: Schema) => same(deref<Schema>(doc, branch).type, "null");
  const [only, ...more] = union?.filter((branch) => !isNull(branch)) ?? [];
  if (union?.length === 2 && only && more.length === 0) {
    const base = flatten(doc, only);
    const types = typesOf(base);
    return {
      ...base,
      ...(types ? { type: [...new Set([...types, "null"])] } : {}),
      ...(base.enum ? { enum: [...base.enum, null] } : {}),
    };
  }
  if (!schema.allOf) return schema;
  const { allOf, ...merged } = schema;
  for (const part of allOf.map((p) => flatten(doc, p))) {
    const properties = { ...merged.properties, ...part.properties };
    const required = [...new Set([...(merged.required ?? []), ...(part.required ?? [])])];
    Object.assign(merged, part, { properties, required });
  }
  return merged;
}

/** The JSON types a schema admits, or undefined when it does not say (any). */
function typesOf(schema: Schema): Set<string> | undefined {
  const declared = schema.type === undefined ? [] : [schema.type].flat();
  const fromValues = (valuesOf(schema) ?? []).map((v) => (v === null ? "null" : typeof v));
  const types = new Set(declared.length > 0 ? declared : fromValues);
  if (types.size === 0 && schema.properties) types.add("object");
  if (types.size > 0 && schema.nullable) types.add("null");
  return types.size > 0 ? types : undefined;
}

function covers(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === "integer" && types.has("number"));
}

function valuesOf(schema: Schema): unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  return schema.enum;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type Version = readonly [major: number, minor: number, patch: number];

export function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!match) throw new Error(`${text} is not a MAJOR.MINOR.PATCH version`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Semantic versioning; while 0.x, a minor bump is the one that may break (as npm's caret reads it). */
export function allowsBreaking(released: string, current: string): boolean {
  const [from, to] = [parseVersion(released), parseVersion(current)];
  if (to[0] !== from[0]) return to[0] > from[0];
  return from[0] === 0 && to[1] > from[1];
}

/** The body of the CHANGELOG section for `version` (`## [x.y.z]…` up to the next `## `), if any. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && line.startsWith("## "));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/**
 * What stands between the current document and a release: its breaking changes unless the version
 * was bumped enough, and then a CHANGELOG section for the new version listing them.
 */
export function releaseProblems(
  released: OpenApiDocument,
  current: OpenApiDocument,
  changelog: string,
): string[] {
  const [from, to] = [released.info.version, current.info.version];
  const order = compareVersions(to, from);
  if (order < 0) return [`info.version ${to} is older than the released ${from}`];
  const changes = breakingChanges(released, current).map(describeChange);
  const problems: string[] = [];
  if (changes.length > 0 && !allowsBreaking(from, to)) {
    const bump = from.startsWith("0.") ? "the minor version (0.x)" : "the major version";
    problems.push(
      ...changes.map((change) => `${change} — breaking against ${from} without a bump of ${bump}`),
    );
  }
  if (order > 0) {
    const section = changelogSection(changelog, to);
    if (section === undefined) problems.push(`CHANGELOG.md has no "## [${to}]" section`);
    else if (changes.length > 0 && !/^### Breaking changes/m.test(section)) {
      problems.push(`CHANGELOG.md's [${to}] section lists no "### Breaking changes" though there are some`);
    }
  }
  return problems;
}
