import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { currentDocument, documentPath } from "../../scripts/openapi.ts";

type Operation = { operationId?: string; tags?: string[]; responses?: Record<string, unknown> };

describe("openapi.json", () => {
  const document = currentDocument();

  it("matches what the code produces (run `npm run openapi` after changing routes)", () => {
    expect(readFileSync(documentPath, "utf8")).toBe(document);
  });

  it("is OpenAPI 3.1 with a resource.verb operationId, tags and a 500 answer on every operation", () => {
    const parsed = JSON.parse(document) as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
    };
    expect(parsed.openapi).toBe("3.1.0");
    const operations = Object.entries(parsed.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const { where, op } of operations) {
      expect(op.operationId, where).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
      expect(ids.has(op.operationId ?? ""), `${where} repeats ${op.operationId}`).toBe(false);
      ids.add(op.operationId ?? "");
      expect(op.tags?.length, where).toBeGreaterThan(0);
      expect(Object.keys(op.responses ?? {}), where).toContain("500");
    }
  });

  it("describes every named component, so generated SDKs carry the documentation", () => {
    const parsed = JSON.parse(document) as {
      components: { schemas: Record<string, { description?: string }> };
    };
    const undescribed = Object.entries(parsed.components.schemas)
      .filter(([, schema]) => !schema.description)
      .map(([name]) => name);
    expect(Object.keys(parsed.components.schemas).length).toBeGreaterThan(40);
    expect(undescribed).toEqual([]);
  });

  it("documents every enum: each value is named in its description, or in that of what holds it", () => {
    const undocumented: string[] = [];
    // A description reaches an enum through what wraps it: a parameter, an array, a nullable anyOf.
    const visit = (node: unknown, at: string, inherited?: string): void => {
      if (Array.isArray(node)) {
        for (const [i, child] of node.entries()) visit(child, `${at}[${i}]`, inherited);
        return;
      }
      if (node === null || typeof node !== "object") return;
      const schema = node as { enum?: unknown[]; description?: string } & Record<string, unknown>;
      const description = schema.description ?? inherited;
      if (Array.isArray(schema.enum) && schema.enum.length > 1) {
        const unnamed = schema.enum.filter((value) => !description?.includes(`\`${String(value)}\``));
        if (unnamed.length > 0) undocumented.push(`${at}: ${unnamed.join(", ")}`);
      }
      for (const [key, child] of Object.entries(schema)) {
        const passes = ["schema", "items", "anyOf", "oneOf"].includes(key);
        visit(child, `${at}.${key}`, passes ? description : undefined);
      }
    };
    visit(JSON.parse(document), "#");
    expect(undocumented).toEqual([]);
  });
});
