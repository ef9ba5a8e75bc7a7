import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { currentSchema, schemaPath } from "../../scripts/graphql-schema.ts";

describe("schema.graphql", () => {
  const printed = currentSchema();

  it("matches what the code produces (run `npm run graphql:schema` after changing a type)", () => {
    expect(readFileSync(schemaPath, "utf8")).toBe(printed);
  });

  it("has no mutations: writes go through REST", () => {
    expect(printed).toContain("type Query {");
    expect(printed).not.toMatch(/\btype Mutation\b/);
  });

  it("describes every type but the connections' plumbing", () => {
    const types = [...printed.matchAll(/^(?:type|enum|input|scalar) (\w+)/gm)].filter(
      ([, name]) => !/(Connection|Edge)$|^PageInfo$/.test(name ?? ""),
    );
    const undescribed = types
      .filter((match) => !printed.slice(0, match.index).trimEnd().endsWith('"""'))
      .map(([, name]) => name);
    expect(types.length).toBeGreaterThan(40);
    expect(undescribed).toEqual([]);
  });
});
