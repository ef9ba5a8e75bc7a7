/**
 * Node module hooks (registered by generate.ts): `openapi-typescript` is built on TypeScript 5's
 * compiler API, which TypeScript 7, the project's compiler, no longer has. Its imports of
 * `typescript` get the `typescript-5` package instead; everything else keeps TypeScript 7.
 */
const FROM_GENERATOR = /[/\\]node_modules[/\\]openapi-typescript[/\\]/;

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (specifier === "typescript" && FROM_GENERATOR.test(context.parentURL ?? "")) {
    return next("typescript-5", context);
  }
  return next(specifier, context);
}
