import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type BreakingKind,
  breakingChanges,
  changelogSection,
  compareVersions,
  describeChange,
  type OpenApiDocument,
  type Operation,
  releaseProblems,
  type Schema,
} from "../support/api-compat.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(fileURLToPath(new URL(path, root)), "utf8");
const releasedDir = "openapi/released/";

describe("openapi.json against the last released document", () => {
  const current = JSON.parse(read("openapi.json")) as OpenApiDocument;
  const changelog = read("CHANGELOG.md");
  const released = readdirSync(fileURLToPath(new URL(releasedDir, root)))
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({ file, document: JSON.parse(read(releasedDir + file)) as OpenApiDocument }))
    .sort((a, b) => compareVersions(a.document.info.version, b.document.info.version));
  const latest = released.at(-1);

  it("keeps each release as openapi/released/<info.version>.json, with its CHANGELOG section", () => {
    expect(latest, "no released document in openapi/released/").toBeDefined();
    for (const { file, document } of released) {
      expect(file).toBe(`${document.info.version}.json`);
      expect(changelogSection(changelog, document.info.version), `CHANGELOG.md for ${file}`).toBeDefined();
    }
  });

  it("breaks no released operation unless the version was bumped for it and the CHANGELOG says so", () => {
    const problems = releaseProblems(latest!.document, current, changelog);
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("would notice a released answer losing a property (the check above is not blind)", () => {
    const before = latest!.document;
    const [name, schema] = Object.entries(before.components?.schemas ?? {}).find(
      ([, s]) => ((s as Schema).required ?? []).length > 0,
    )!;
    const property = (schema as Schema).required![0]!;
    const after = structuredClone(current);
    delete (after.components!.schemas![name] as Schema).properties![property];
    const found = breakingChanges(before, after).filter((c) => c.kind === "response-property-removed");
    expect(found.length, `${name}.${property}`).toBeGreaterThan(0);
  });
});

/** A small API: an answer (`Thing`, via allOf) and a request body (`NewThing`), both by $ref. */
type Doc = OpenApiDocument & {
  components: { schemas: Record<string, Schema> };
  paths: Record<string, Record<string, Operation>>;
};

function sample(): Doc {
  const problem = { content: { "application/problem+json": { schema: { type: "object" } } } };
  return {
    info: { version: "1.0.0" },
    components: {
      schemas: {
        Base: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        Thing: {
          allOf: [
            { $ref: "#/components/schemas/Base" },
            {
              type: "object",
              properties: {
                name: { type: "string" },
                count: { type: "number" },
                status: { type: "string", enum: ["open", "closed"] },
                tags: { type: "array", items: { type: "string" } },
              },
              required: ["name", "count"],
            },
          ],
        },
        NewThing: {
          type: "object",
          properties: {
            name: { type: "string", maxLength: 100 },
            kind: { type: "string", enum: ["a", "b"] },
          },
          required: ["name"],
        },
      },
    },
    paths: {
      "/things": {
        post: {
          operationId: "things.create",
          parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }],
          requestBody: {
            content: { "application/json": { schema: { $ref: "#/components/schemas/NewThing" } } },
          },
          responses: {
            "201": {
              headers: { Location: { schema: { type: "string" } } },
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
            "400": problem,
          },
        },
      },
      "/things/{id}": {
        get: {
          operationId: "things.get",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "limit", in: "query", schema: { type: "number", maximum: 100 } },
          ],
          responses: {
            "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } },
            "404": problem,
          },
        },
      },
    },
  };
}

const thingPart = (d: Doc) => d.components.schemas.Thing!.allOf![1]!;
const thing = (d: Doc) => thingPart(d).properties!;
const newThing = (d: Doc) => d.components.schemas.NewThing!;
const request = (d: Doc) => newThing(d).properties!;
const get = (d: Doc) => d.paths["/things/{id}"]!.get!;
const create = (d: Doc) => d.paths["/things"]!.post!;
const body = (d: Doc) => create(d).requestBody as { required?: boolean; content: Record<string, unknown> };
const ok = (op: Operation, status: string) =>
  op.responses![status] as Record<string, Record<string, unknown>>;

function changed(edit: (doc: Doc) => void): Doc {
  const doc = sample();
  edit(doc);
  return doc;
}

describe("breakingChanges (the checker itself)", () => {
  it("finds nothing between a document and itself", () => {
    expect(breakingChanges(sample(), sample())).toEqual([]);
  });

  const breaking: [string, BreakingKind, (doc: Doc) => void][] = [
    ["an operation removed", "operation-removed", (d) => delete d.paths["/things/{id}"]!.get],
    [
      "an operation moved to another path",
      "operation-moved",
      (d) => {
        d.paths["/items/{id}"] = { get: get(d) };
        delete d.paths["/things/{id}"];
      },
    ],
    ["a success status removed", "success-status-removed", (d) => delete get(d).responses!["200"]],
    [
      "a response header removed",
      "response-header-removed",
      (d) => delete ok(create(d), "201").headers!.Location,
    ],
    [
      "a response media type replaced",
      "media-type-removed",
      (d) => {
        const content = ok(get(d), "200").content!;
        content["application/xml"] = content["application/json"];
        delete content["application/json"];
      },
    ],
    ["a response property removed", "response-property-removed", (d) => delete thing(d).status],
    [
      "a response property renamed",
      "response-property-removed",
      (d) => {
        thing(d).title = thing(d).name!;
        delete thing(d).name;
      },
    ],
    [
      "a property of an allOf part removed",
      "response-property-removed",
      (d) => delete d.components.schemas.Base!.properties!.id,
    ],
    [
      "a response property made optional",
      "response-property-optional",
      (d) => {
        thingPart(d).required = ["count"];
      },
    ],
    [
      "a response property made nullable",
      "response-nullable",
      (d) => {
        thing(d).name!.type = ["string", "null"];
      },
    ],
    [
      "a response property's type changed",
      "type-changed",
      (d) => {
        thing(d).count!.type = "string";
      },
    ],
    [
      "a response array's items widened",
      "type-changed",
      (d) => {
        thing(d).tags!.items = { type: ["string", "number"] };
      },
    ],
    [
      "a request body made required",
      "request-body-required",
      (d) => {
        body(d).required = true;
      },
    ],
    [
      "a request property made required",
      "request-property-required",
      (d) => {
        newThing(d).required = ["name", "kind"];
      },
    ],
    [
      "a new required request property",
      "request-property-required",
      (d) => {
        request(d).colour = { type: "string" };
        newThing(d).required = ["name", "colour"];
      },
    ],
    ["a request property removed", "request-property-removed", (d) => delete request(d).kind],
    [
      "a request enum value removed",
      "request-enum-narrowed",
      (d) => {
        request(d).kind!.enum = ["a"];
      },
    ],
    [
      "a request property's type changed",
      "type-changed",
      (d) => {
        request(d).name!.type = "integer";
      },
    ],
    [
      "a request bound tightened",
      "request-constraint-narrowed",
      (d) => {
        request(d).name!.maxLength = 50;
      },
    ],
    [
      "a new required parameter",
      "request-parameter-required",
      (d) => get(d).parameters!.push({ name: "at", in: "query", required: true, schema: { type: "string" } }),
    ],
    [
      "a parameter made required",
      "request-parameter-required",
      (d) => {
        get(d).parameters![1] = { name: "limit", in: "query", required: true, schema: { type: "number" } };
      },
    ],
    ["a parameter removed", "request-parameter-removed", (d) => create(d).parameters!.pop()],
    [
      "a parameter's type narrowed from number to integer",
      "type-changed",
      (d) => {
        get(d).parameters![1] = { name: "limit", in: "query", schema: { type: "integer", maximum: 100 } };
      },
    ],
  ];

  it.each(breaking)("flags %s as %s", (_name, kind, edit) => {
    const found = breakingChanges(sample(), changed(edit));
    expect(
      found.map((c) => c.kind),
      found.map(describeChange).join("\n"),
    ).toContain(kind);
  });

  const additions: [string, (doc: Doc) => void][] = [
    [
      "a new operation",
      (d) => {
        d.paths["/things/{id}"]!.delete = { operationId: "things.delete", responses: { "204": {} } };
      },
    ],
    [
      "a new optional request property",
      (d) => {
        request(d).note = { type: "string" };
      },
    ],
    [
      "a new response property",
      (d) => {
        thing(d).createdAt = { type: "string" };
      },
    ],
    [
      "a new request enum value",
      (d) => {
        request(d).kind!.enum = ["a", "b", "c"];
      },
    ],
    [
      "a new response enum value",
      (d) => {
        thing(d).status!.enum = ["open", "closed", "archived"];
      },
    ],
    ["a request enum dropped (any string now)", (d) => delete request(d).kind!.enum],
    [
      "new success and error statuses",
      (d) => {
        get(d).responses!["202"] = {};
        get(d).responses!["409"] = {};
      },
    ],
    [
      "a new optional parameter",
      (d) => get(d).parameters!.push({ name: "q", in: "query", schema: { type: "string" } }),
    ],
    [
      "a request property made optional",
      (d) => {
        newThing(d).required = [];
      },
    ],
    [
      "a response property made required",
      (d) => {
        thingPart(d).required = ["name", "count", "status"];
      },
    ],
    [
      "a request bound loosened",
      (d) => {
        request(d).name!.maxLength = 200;
      },
    ],
    [
      "a response number narrowed to integer",
      (d) => {
        thing(d).count!.type = "integer";
      },
    ],
    [
      "a request parameter widened from number to any",
      (d) => {
        get(d).parameters![1] = { name: "limit", in: "query", schema: {} };
      },
    ],
    [
      "a component inlined in place of its $ref",
      (d) => {
        body(d).content = { "application/json": { schema: structuredClone(newThing(d)) } };
      },
    ],
  ];

  it.each(additions)("allows %s", (_name, edit) => {
    const found = breakingChanges(sample(), changed(edit));
    expect(found, found.map(describeChange).join("\n")).toEqual([]);
  });

  it("reads a nullable union of a named enum as the nullable enum it replaced, and no wider", () => {
    const nullableStatus = (d: Doc) => {
      thing(d).status = { type: ["string", "null"], enum: ["open", "closed", null] };
    };
    const asUnion = (values: unknown[]) => (d: Doc) => {
      d.components.schemas.Status = { type: "string", enum: values };
      thing(d).status = { anyOf: [{ $ref: "#/components/schemas/Status" }, { type: "null" }] };
    };
    expect(breakingChanges(changed(nullableStatus), changed(asUnion(["open", "closed"])))).toEqual([]);
    const wider = changed((d) => {
      asUnion(["open", "closed"])(d);
      (thing(d).status!.anyOf as Schema[]).push({ type: "number" });
    });
    expect(breakingChanges(changed(nullableStatus), wider).map((c) => c.kind)).toContain("type-changed");
  });
});

describe("releaseProblems (the version rule)", () => {
  const breakingEdit = (d: Doc) => delete thing(d).status;
  const at = (version: string, edit: (doc: Doc) => void = () => {}) =>
    changed((d) => {
      edit(d);
      d.info.version = version;
    });
  const log = (version: string, breaking: boolean) =>
    [
      "# Changelog\n\n## [Unreleased]\n",
      `## [${version}] - 2027-01-01\n`,
      breaking ? "### Breaking changes\n\n- `Thing.status` is gone.\n" : "### Added\n\n- More.\n",
      "## [1.0.0] - 2026-12-07\n",
    ].join("\n");

  it("lists each breaking change made without a version bump", () => {
    const problems = releaseProblems(at("1.0.0"), at("1.0.0", breakingEdit), "");
    expect(problems, problems.join("\n")).toHaveLength(2); // the answers of things.create and things.get
    expect(problems.join("\n")).toMatch(
      /things\.get response 200 application\/json\.status: response-property-removed/,
    );
  });

  it("refuses breaking changes under a patch or, after 1.0, a minor bump", () => {
    expect(releaseProblems(at("1.0.0"), at("1.1.0", breakingEdit), log("1.1.0", true))).toHaveLength(2);
    expect(releaseProblems(at("0.1.0"), at("0.1.1", breakingEdit), log("0.1.1", true))).toHaveLength(2);
  });

  it("accepts breaking changes under a major bump, or a minor one while 0.x, recorded in the CHANGELOG", () => {
    expect(releaseProblems(at("1.0.0"), at("2.0.0", breakingEdit), log("2.0.0", true))).toEqual([]);
    expect(releaseProblems(at("0.1.0"), at("0.2.0", breakingEdit), log("0.2.0", true))).toEqual([]);
  });

  it("wants a CHANGELOG section for a new version, with its breaking changes", () => {
    expect(releaseProblems(at("1.0.0"), at("2.0.0", breakingEdit), log("1.9.0", true))).toEqual([
      'CHANGELOG.md has no "## [2.0.0]" section',
    ]);
    expect(releaseProblems(at("1.0.0"), at("2.0.0", breakingEdit), log("2.0.0", false))).toEqual([
      `CHANGELOG.md's [2.0.0] section lists no "### Breaking changes" though there are some`,
    ]);
    expect(releaseProblems(at("1.0.0"), at("1.0.1"), log("1.0.1", false))).toEqual([]);
  });

  it("refuses a version older than the release", () => {
    expect(releaseProblems(at("1.2.0"), at("1.1.9"), log("1.1.9", false))).toEqual([
      "info.version 1.1.9 is older than the released 1.2.0",
    ]);
  });
});
