import type { FieldMap, ObjectRef, OutputType } from "@pothos/core";
import { z } from "zod";
import {
  addressSchema,
  listingRatingSchema,
  locationSchema,
  photoSchema,
  ratingSchema,
  stayTotalSchema,
} from "../domain/listings/listing-schemas.ts";
import { builder, type Types } from "./builder.ts";

/**
 * GraphQL types made from the zod schemas REST answers with, so that both APIs show the same
 * fields, enums and descriptions, and a field added to a schema shows in both. An object or enum
 * is named by its schema's `id`, else after where it sits (`QuoteNightly`); descriptions come
 * from the schemas' `meta`.
 */

/**
 * What the schemas do not say of shapes they nest without an id or a description: a name for those
 * several types share (one GraphQL type, not one per use), and what each is. Saying it in the
 * schemas' `meta` would empty this table.
 */
const unsaid = new Map<z.ZodType, { name?: string; description: string }>([
  [addressSchema, { name: "Address", description: "A listing's postal address." }],
  [locationSchema, { name: "Location", description: "A point on Earth, in degrees." }],
  [photoSchema, { name: "Photo", description: "A photo of a listing, with its caption." }],
  [
    ratingSchema,
    { name: "Rating", description: "The average of published guest reviews, and how many there are." },
  ],
  [listingRatingSchema, { description: "A listing's rating, with its guests' averages by category." }],
  [stayTotalSchema, { description: "What the stay of a dated search costs at a listing." }],
]);

type OutputParam = OutputType<Types> | [OutputType<Types>];
type Nullability = boolean | { list: boolean; items: boolean };
interface Output {
  type: OutputParam;
  nullable: Nullability;
  description: string | undefined;
}

type EnumRef = PothosSchemaTypes.EnumRef<Types, string>;

// Types already made, by GraphQL name: a schema used in several places is one type.
const made = new Map<string, { schema: z.ZodObject; ref: ObjectRef<Types, unknown> }>();
const enums = new Map<string, EnumRef>();

/** The object type of `schema` (made once per name), its fields read from the parent's properties. */
export function zodObject<S extends z.ZodObject>(
  schema: S,
  {
    name = nameOf(schema),
    description = typeDescription(schema),
  }: { name?: string; description?: string } = {},
): ObjectRef<Types, z.output<S>> {
  if (!name) throw new Error("zodObject: the schema has no id; name the type");
  const known = made.get(name);
  if (known && known.schema !== schema) throw new Error(`zodObject: two shapes would be named ${name}`);
  if (known) return known.ref as ObjectRef<Types, z.output<S>>;
  const ref = builder.objectRef<z.output<S>>(name).implement({
    description,
    fields: (t) => zodFields(t, schema, name),
  });
  made.set(name, { schema, ref: ref as ObjectRef<Types, unknown> });
  return ref;
}

/** The fields of `schema` for an object type named `owner` (which may add fields of its own). */
export function zodFields<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
  schema: z.ZodObject,
  owner: string,
): FieldMap {
  return Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => {
      const { type, nullable, description } = outputOf(field, owner + pascal(key));
      return [
        key,
        t.field({
          type,
          nullable,
          description,
          // The parent was built by the domain function typed against this very schema.
          resolve: (parent) => (parent as Record<string, unknown>)[key] as never,
        }),
      ];
    }),
  );
}

/** The enum type of a zod enum: the same values, the description of its meta. */
export function zodEnum(schema: z.ZodEnum, name = nameOf(schema)): EnumRef {
  if (!name) throw new Error("zodEnum: the schema has no id; name the type");
  const known = enums.get(name);
  if (known) return known;
  const ref = builder.enumType(name, {
    description: typeDescription(schema),
    values: schema.options.map(String),
  });
  enums.set(name, ref);
  return ref;
}

/** `outer` is what the list holding `schema` says, which describes its items' type too. */
function outputOf(schema: z.ZodType, name: string, outer?: string): Output {
  let description = fieldDescription(schema) ?? outer;
  let nullable = false;
  let inner: z.ZodType = schema;
  for (;;) {
    if (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) {
      nullable = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodUnion && inner.options.length === 2 && inner.options.some(isNull)) {
      nullable = true;
      inner = inner.options.find((option) => !isNull(option)) as z.ZodType;
    } else break;
    description ??= fieldDescription(inner);
  }
  if (inner instanceof z.ZodArray) {
    const item = outputOf(inner.element as z.ZodType, singular(name), description);
    if (Array.isArray(item.type) || item.nullable) throw new Error(`${name}: only lists of non-null items`);
    return { type: [item.type], nullable: { list: nullable, items: false }, description };
  }
  return { type: namedType(inner, name, description), nullable, description };
}

/** `fieldDescription` describes a type made for one field, when its schema does not. */
function namedType(schema: z.ZodType, name: string, fieldDescription?: string): OutputType<Types> {
  if (schema instanceof z.ZodObject) {
    const description = typeDescription(schema) ?? fieldDescription;
    return zodObject(schema, { name: nameOf(schema) ?? name, ...(description ? { description } : {}) });
  }
  if (schema instanceof z.ZodEnum) return zodEnum(schema, nameOf(schema) ?? name);
  // String formats (z.uuid(), z.iso.date(), …) are strings, but not ZodString instances.
  if (schema instanceof z.ZodString || schema instanceof z.ZodStringFormat) {
    return stringTypes[schema.format ?? ""] ?? "String";
  }
  if (schema instanceof z.ZodNumber) {
    if (!schema.isInt) return "Float";
    const int32 = (schema.minValue ?? -Infinity) >= -(2 ** 31) && (schema.maxValue ?? Infinity) < 2 ** 31;
    return int32 ? "Int" : "SafeInt";
  }
  if (schema instanceof z.ZodBoolean) return "Boolean";
  throw new Error(`${name}: no GraphQL type for a zod ${schema.type}`);
}

const stringTypes: Record<string, OutputType<Types>> = { uuid: "ID", datetime: "DateTime", date: "Date" };

const isNull = (schema: z.core.$ZodType) => schema instanceof z.ZodNull;
const pascal = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);
const singular = (name: string) => name.replace(/s$/, "");

function nameOf(schema: z.ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.id ?? unsaid.get(schema)?.name;
}

/** A named type's description is the type's; the field's is what its own wrapper says. */
function fieldDescription(schema: z.ZodType): string | undefined {
  const meta = z.globalRegistry.get(schema);
  return meta?.id ? undefined : meta?.description;
}

export function typeDescription(schema: z.ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.description ?? unsaid.get(schema)?.description;
}
