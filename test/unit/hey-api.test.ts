import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A second generator, so the document is not tied to openapi-typescript's reading of it. Hey API
 * runs in a child Node: it is built on TypeScript 5's compiler API, which TypeScript 7 (the
 * project's `typescript`) dropped, and a module hook hands it `typescript-5` there without
 * touching the test runner's resolution.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const documentPath = join(root, "openapi.json");

const GENERATE = `
import { registerHooks } from "node:module";
registerHooks({
  resolve(specifier, context, next) {
    const fromHeyApi = /[\\\\/]node_modules[\\\\/]@hey-api[\\\\/]/.test(context.parentURL ?? "");
    return next(specifier === "typescript" && fromHeyApi ? "typescript-5" : specifier, context);
  },
});
for (const level of ["debug", "error", "info", "log", "warn"]) {
  console[level] = (...args) => {
    const text = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
    process.stdout.write(JSON.stringify({ level, text }) + "\\n");
  };
}
process.on("warning", (w) => process.stdout.write(JSON.stringify({ level: "warn", text: String(w) }) + "\\n"));
const { createClient } = await import("@hey-api/openapi-ts");
await createClient({
  input: process.env.HEY_INPUT,
  output: { path: process.env.HEY_OUTPUT, tsConfigPath: process.env.HEY_TSCONFIG },
  logs: { file: false, level: "info" },
  parser: { validate_EXPERIMENTAL: "warn" },
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
});
`;

type Line = { level: string; text: string };
type Run = { code: number; lines: Line[]; stderr: string };

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
/** What Hey API prints on success: its banner, "Generating…", the input and the ✓ summary. */
const PROBLEM = /\[(error|warn)|warning|error|unsupported|❗|🚨|❌|⚠/i;

function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const lines = stdout
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Line)
          .map(({ level, text }) => ({ level, text: text.replace(ANSI, "") }));
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, lines, stderr: `${stderr}${error && !lines.length ? stdout : ""}` });
      },
    );
  });
}

function generate(input: string, output: string): Promise<Run> {
  return run(process.execPath, ["--input-type=module", "-e", GENERATE], root, {
    HEY_INPUT: input,
    HEY_OUTPUT: output,
    HEY_TSCONFIG: join(root, "tsconfig.json"),
  });
}

function problems({ lines }: Run): Line[] {
  return lines.filter(({ level, text }) => !(level === "log" || level === "info") || PROBLEM.test(text));
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(dir, file));
}

const COMPILE_FLAGS = [
  "--noEmit",
  "--strict",
  "--noUncheckedIndexedAccess",
  "--verbatimModuleSyntax",
  "--target",
  "es2024",
  "--module",
  "nodenext",
  "--lib",
  "es2024,dom,dom.iterable",
];

/** A consumer's code: the SDK's functions must carry the operations' types, not `any`. */
const CONSUMER = `
import { createClient } from "./client/client/index.js";
import { authLogin, type TokenPair } from "./client/index.js";

const client = createClient({ baseUrl: "http://localhost:8787" });

export async function signIn(email: string, password: string): Promise<TokenPair["accessToken"] | undefined> {
  const { data, error } = await authLogin({ client, body: { email, password } });
  if (error) return undefined;
  return data?.accessToken;
}

// @ts-expect-error the body of auth.login requires a password
void authLogin({ client, body: { email: "guest@example.com" } });
`;

describe("@hey-api/openapi-ts on openapi.json", () => {
  const work = mkdtempSync(join(tmpdir(), "stayedge-hey-api-"));
  const output = join(work, "client");
  let generated: Run;

  beforeAll(async () => {
    // The generated files import each other with `.js`: they are ES modules only under "type": "module".
    writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(work, "consumer.ts"), CONSUMER);
    generated = await generate(documentPath, output);
  }, 30_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("generates a fetch client, types and SDK functions without a warning or an error", () => {
    expect(generated.code, generated.stderr).toBe(0);
    expect(problems(generated), JSON.stringify(generated.lines, null, 2)).toEqual([]);
    const files = typeScriptFiles(output).map((file) => file.slice(output.length + 1));
    expect(files).toEqual(
      expect.arrayContaining(["index.ts", "sdk.gen.ts", "types.gen.ts", "client.gen.ts"]),
    );
  });

  it.each([
    ["TypeScript 7 (the project's typescript)", "typescript/bin/tsc"],
    ["TypeScript 5 (typescript-5)", "typescript-5/bin/tsc"],
  ])(
    "compiles under --strict with %s, with a consumer calling it",
    async (_name, bin) => {
      const files = [...typeScriptFiles(output), join(work, "consumer.ts")];
      const compiled = await run(
        process.execPath,
        [join(root, "node_modules", bin), ...COMPILE_FLAGS, ...files],
        work,
      ); // outside the repo: its tsconfig.json would otherwise refuse the file list
      expect(compiled.code, compiled.stderr).toBe(0);
    },
    30_000,
  );

  it("reports a warning it logs (the check above is not blind)", async () => {
    const dir = join(work, "warning");
    mkdirSync(dir);
    const input = join(dir, "openapi.json");
    writeFileSync(
      input,
      JSON.stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1.0.0" },
        components: { securitySchemes: { digest: { type: "http", scheme: "digest" } } },
        paths: {
          "/x": {
            get: {
              operationId: "x.get",
              security: [{ digest: [] }],
              responses: { "204": { description: "done" } },
            },
          },
        },
      }),
    );
    const result = await generate(input, join(dir, "client"));
    expect(
      problems(result)
        .map(({ text }) => text)
        .join("\n"),
    ).toMatch(/unsupported security scheme/);
  }, 30_000);
});
