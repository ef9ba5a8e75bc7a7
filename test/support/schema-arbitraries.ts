import fc from "fast-check";

/**
 * fast-check arbitraries from the JSON Schemas of an OpenAPI 3.1 document: values a schema
 * accepts, and values broken in exactly one field (with the path to that field). Only the subset
 * stayedge's document uses; anything else throws, so a new keyword is noticed, not ignored.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  example?: unknown;
  examples?: unknown[];
}

export interface SchemaDocument {
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Options {
  /** Values for given paths (`listingId`, `address.country`) instead of generated ones: real ids. */
  overrides?: Record<string, fc.Arbitrary<unknown>>;
  /** Leave optional fields out more often than not. */
  sparse?: boolean;
  /** The value travels as text (a query parameter): only text can be of the wrong type. */
  textOnly?: boolean;
  /** `broken`: the valid values to break, instead of `valid(schema, options)`. */
  base?: fc.Arbitrary<unknown>;
}

export interface Breakage {
  value: unknown;
  /** The broken field, as `errors[].location` should name it after `body.` or `query.`. */
  path: string[];
  how: string;
}

/**
 * The documented example with some of its fields swapped for generated ones: valid inputs that
 * mostly pass the rules a schema cannot say (a real time zone, a known currency), so the walk
 * reaches the handlers, not only the validator.
 */
export function nearExample(
  example: unknown,
  generated: fc.Arbitrary<unknown>,
  /** Fields always taken from `generated` (those with overrides: real ids). */
  pinned: string[] = [],
): fc.Arbitrary<unknown> {
  if (example === null || typeof example !== "object" || Array.isArray(example)) return generated;
  return generated.chain((value) => {
    const fields = Object.entries(value as Record<string, unknown>);
    const kept = fields.filter(([key]) => pinned.includes(key));
    return fc
      .subarray(fields, { maxLength: Math.min(3, fields.length) })
      .map((some) => ({ ...example, ...Object.fromEntries([...some, ...kept]) }));
  });
}

const HANDLED = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "enum",
  "const",
  "minimum",
  "maximum",
  "multipleOf",
  "anyOf",
  "oneOf",
  "example",
  "examples",
  "default",
  "description",
  "title",
]);

/** An unknown key the document's strict objects must refuse. */
export const UNKNOWN_KEY = "unexpectedField";
const DAY = 86_400_000;

export function schemaArbitraries(document: SchemaDocument) {
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name === undefined ? undefined : document.components?.schemas?.[name];
    if (!target) throw new Error(`cannot resolve ${schema.$ref}`);
    return resolve(target);
  };

  const typesOf = (schema: JsonSchema): string[] =>
    schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

  const examplesOf = (schema: JsonSchema): unknown[] => [
    ...(schema.example === undefined ? [] : [schema.example]),
    ...(schema.examples ?? []),
  ];

  function checkKeywords(schema: JsonSchema) {
    const unknown = Object.keys(schema).filter((k) => !HANDLED.has(k));
    if (unknown.length > 0) throw new Error(`unsupported JSON Schema keywords: ${unknown.join(", ")}`);
  }

  function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
    const { minLength = 0, maxLength } = schema;
    const fits = (s: string) => s.length >= minLength && (maxLength === undefined || s.length <= maxLength);
    const examples = examplesOf(schema).filter((e): e is string => typeof e === "string");
    if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
    if (schema.format) return formatted(schema.format).filter(fits);
    if (schema.pattern) {
      try {
        const matching = fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
        return examples.length > 0 ? fc.oneof(matching, fc.constantFrom(...examples)) : matching;
      } catch {
        if (examples.length === 0) throw new Error(`cannot generate /${schema.pattern}/ and no example`);
        return fc.constantFrom(...examples);
      }
    }
    const max = maxLength ?? 200;
    const text = (unit: "grapheme-ascii" | "grapheme" | "binary") =>
      fc.string({ unit, minLength, maxLength: max }).filter(fits);
    return fc.oneof(
      { arbitrary: text("grapheme-ascii"), weight: 10 },
      { arbitrary: text("grapheme"), weight: 4 },
      { arbitrary: text("binary"), weight: 1 },
      // The longest string the schema allows must be stored whole.
      { arbitrary: fc.string({ minLength: max, maxLength: max }), weight: 1 },
      // Text with rules the schema cannot say (`lat,lng`, a time zone) mostly passes only as documented.
      ...(examples.length > 0 ? [{ arbitrary: fc.constantFrom(...examples), weight: 16 }] : []),
    );
  }

  function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
    const min = schema.minimum ?? (integer ? -(2 ** 31) : -1e9);
    const max = schema.maximum ?? (integer ? 2 ** 31 - 1 : 1e9);
    const examples = examplesOf(schema).filter((e): e is number => typeof e === "number");
    if (schema.multipleOf !== undefined) {
      const step = schema.multipleOf;
      return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((n) => n * step);
    }
    const whole = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    if (integer) return fc.oneof(whole, fc.constantFrom(min, max), ...examples.map((e) => fc.constant(e)));
    return fc.oneof(
      whole,
      fc.constantFrom(min, max),
      // Prices, ratings and coordinates come with two decimals more often than with seventeen.
      fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => n / 100),
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
      ...examples.map((e) => fc.constant(e)),
    );
  }

  function objectOf(schema: JsonSchema, options: Options, at: string[]): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    // Sparse: an optional field is left out five times in six (a query of 19 filters that all
    // agree with each other is rare; one of 3 is not).
    const absent = options.sparse ? 5 : 1;
    const fields = Object.entries(properties).map(([key, child]) => {
      const value = valid(child, options, [...at, key]);
      if (required.has(key)) return value.map((v) => [key, v] as const);
      return fc.oneof(
        { arbitrary: fc.constant(undefined), weight: absent },
        { arbitrary: value.map((v) => [key, v] as const), weight: 1 },
      );
    });
    const record = fc
      .tuple(...fields)
      .map(
        (entries) => Object.fromEntries(entries.filter((e) => e !== undefined)) as Record<string, unknown>,
      );
    const example = examplesOf(schema).filter((e) => e !== null && typeof e === "object");
    const generated = example.length > 0 ? fc.oneof(record, fc.constantFrom(...example)) : record;
    if (schema.additionalProperties === false) return generated;
    // An object that does not forbid other keys must take (and ignore) one it does not know.
    return fc
      .tuple(
        generated,
        fc.oneof(
          { arbitrary: fc.constant(null), weight: 4 },
          { arbitrary: fc.string({ minLength: 1, maxLength: 10 }), weight: 1 },
        ),
      )
      .map(([value, extra]) =>
        extra === null || extra in properties ? value : { ...(value as object), [`x-${extra}`]: extra },
      );
  }

  function valid(schema: JsonSchema, options: Options = {}, at: string[] = []): fc.Arbitrary<unknown> {
    const override = options.overrides?.[at.join(".")];
    if (override) return override;
    const s = resolve(schema);
    checkKeywords(s);
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((a) => valid(a, options, at)));
    if (s.const !== undefined) return fc.constant(s.const);
    const types = typesOf(s);
    if (types.length === 0 && s.enum) return fc.constantFrom(...s.enum);
    if (types.length === 0) return fc.jsonValue();
    return fc.oneof(
      ...types.map((type): fc.Arbitrary<unknown> => {
        switch (type) {
          case "null":
            return fc.constant(null);
          case "boolean":
            return fc.boolean();
          case "integer":
            return numberOf(s, true);
          case "number":
            return numberOf(s, false);
          case "string":
            return stringOf(s);
          case "array": {
            const item = valid(s.items ?? {}, options, [...at, "*"]);
            const minLength = s.minItems ?? 0;
            const maxLength = s.maxItems ?? 10;
            return fc.oneof(
              { arbitrary: fc.array(item, { minLength, maxLength: Math.min(maxLength, 10) }), weight: 9 },
              { arbitrary: fc.array(item, { minLength: maxLength, maxLength }), weight: 1 },
            );
          }
          case "object":
            return objectOf(s, options, at);
          default:
            throw new Error(`unsupported type ${type}`);
        }
      }),
    );
  }

  /**
   * Ways to break a value `schema` describes, each an arbitrary bad value. `textOnly`: the value
   * travels as text (a query parameter), so only text can be wrong.
   */
  function breakersOf(
    schema: JsonSchema,
    textOnly: boolean,
  ): Array<{ how: string; bad: fc.Arbitrary<unknown> }> {
    const s = resolve(schema);
    const types = typesOf(s);
    if (s.anyOf || s.oneOf || types.length === 0) return [];
    const list: Array<{ how: string; bad: fc.Arbitrary<unknown> }> = [];
    const wrongTypes: unknown[] = [];
    if (!types.includes("string")) wrongTypes.push("text");
    if (!textOnly) {
      if (!types.includes("boolean")) wrongTypes.push(true);
      if (!types.includes("number") && !types.includes("integer")) wrongTypes.push(7);
      if (!types.includes("object")) wrongTypes.push({ x: 1 });
      if (!types.includes("array")) wrongTypes.push([1]);
      if (!types.includes("null")) wrongTypes.push(null);
    }
    if (wrongTypes.length > 0)
      list.push({ how: "a value of the wrong type", bad: fc.constantFrom(...wrongTypes) });
    if (types.includes("integer")) list.push({ how: "a fraction", bad: fc.constant(1.5) });
    if (types.includes("integer") || types.includes("number")) {
      if (s.minimum !== undefined) list.push({ how: "below the minimum", bad: fc.constant(s.minimum - 1) });
      if (s.maximum !== undefined) list.push({ how: "above the maximum", bad: fc.constant(s.maximum + 1) });
    }
    if (types.includes("string")) {
      if (s.maxLength !== undefined) {
        list.push({ how: "too long", bad: fc.constant("a".repeat(s.maxLength + 1)) });
      }
      if (s.minLength) list.push({ how: "too short", bad: fc.constant("a".repeat(s.minLength - 1)) });
      if (s.enum) list.push({ how: "not one of the enum", bad: fc.constant("not_an_option") });
      if (s.pattern) {
        const pattern = new RegExp(s.pattern);
        const bad = fc
          .constantFrom("", "?", "not matching!", "0000000000000000")
          .filter((x) => !pattern.test(x));
        list.push({ how: "not matching the pattern", bad });
      }
      const badFormat: Record<string, string> = {
        uuid: "not-a-uuid",
        date: "2027-02-30",
        "date-time": "yesterday",
        email: "not-an-email",
        uri: "not a url",
      };
      const format = s.format && badFormat[s.format];
      if (format) list.push({ how: `not a ${s.format}`, bad: fc.constant(format) });
    }
    if (types.includes("array") && s.maxItems !== undefined) {
      const item = valid(s.items ?? {});
      const max = s.maxItems;
      list.push({ how: "too many items", bad: fc.array(item, { minLength: max + 1, maxLength: max + 1 }) });
    }
    return list;
  }

  /** Candidate one-field breakages of `value`, walking `schema` and the value together. */
  function candidates(
    schema: JsonSchema,
    value: unknown,
    at: string[],
    textOnly: boolean,
  ): Array<{ path: string[]; how: string; bad: fc.Arbitrary<unknown> | "delete" }> {
    const s = resolve(schema);
    const own = at.length > 0 ? breakersOf(s, textOnly).map((b) => ({ path: at, ...b })) : [];
    if (value === null || typeof value !== "object") return own;
    if (Array.isArray(value)) {
      const item = s.items;
      const first = value[0];
      return item && value.length > 0 ? [...own, ...candidates(item, first, [...at, "0"], textOnly)] : own;
    }
    if (!typesOf(s).includes("object")) return own;
    const properties = s.properties ?? {};
    const record = value as Record<string, unknown>;
    const inner = Object.entries(properties).flatMap(([key, child]) => {
      const path = [...at, key];
      if (key in record) {
        const missing = (s.required ?? []).includes(key)
          ? [{ path, how: "missing though required", bad: "delete" as const }]
          : [];
        return [...missing, ...candidates(child, record[key], path, textOnly)];
      }
      // An absent optional field: any of its breakers may be set there.
      return breakersOf(child, textOnly).map((b) => ({ path, ...b }));
    });
    const unknown =
      s.additionalProperties === false
        ? [{ path: [...at, UNKNOWN_KEY], how: "an unknown key", bad: fc.constant("surprise") }]
        : [];
    return [...own, ...inner, ...unknown];
  }

  /** A valid value with exactly one field broken, and that field's path. */
  function broken(schema: JsonSchema, options: Options = {}): fc.Arbitrary<Breakage> {
    return (options.base ?? valid(schema, options)).chain((value) => {
      const found = candidates(schema, value, [], options.textOnly ?? false);
      if (found.length === 0) throw new Error("nothing in this schema can be broken");
      return fc
        .constantFrom(...found)
        .chain(({ path, how, bad }) =>
          bad === "delete"
            ? fc.constant({ value: withField(value, path, undefined), path, how })
            : bad.map((b) => ({ value: withField(value, path, b), path, how })),
        );
    });
  }

  return { resolve, valid, broken };
}

/** A copy of `value` with the field at `path` set (or removed, for `undefined`). */
export function withField(value: unknown, path: string[], field: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return field;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  if (rest.length === 0 && field === undefined) delete copy[head];
  else copy[head] = withField(copy[head] ?? {}, rest, field);
  return copy;
}

function formatted(format: string): fc.Arbitrary<string> {
  const isoDay = (d: Date) => d.toISOString().slice(0, 10);
  const now = Date.now();
  switch (format) {
    case "uuid":
      return fc.uuid({ version: [4, 7] });
    case "date":
      // Mostly days a stay, a calendar or a search could ask about; some anywhere in a century.
      return fc.oneof(
        {
          arbitrary: fc.integer({ min: -30, max: 800 }).map((n) => isoDay(new Date(now + n * DAY))),
          weight: 4,
        },
        {
          arbitrary: fc
            .date({ min: new Date("1970-01-01"), max: new Date("2100-12-31"), noInvalidDate: true })
            .map(isoDay),
          weight: 1,
        },
      );
    case "date-time":
      return fc
        .date({ min: new Date("1970-01-01"), max: new Date("2100-12-31"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "email":
      return fc.oneof(
        fc
          .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.stringMatching(/^[a-z]{1,12}$/))
          .map(([local, domain]) => `${local}@${domain}.example`),
        fc.emailAddress(),
      );
    case "uri":
      return fc.oneof(fc.webUrl({ validSchemes: ["https"] }), fc.webUrl());
    default:
      throw new Error(`unsupported string format ${format}`);
  }
}
