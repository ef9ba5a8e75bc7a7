import { z } from "zod";

/**
 * A closed list as an API schema: a named component whose description says what each value
 * means, so the reference and generated SDKs carry the meanings. The compiler asks for a meaning
 * for every value, so a new value cannot go undocumented.
 */
export function documentedEnum<const V extends readonly [string, ...string[]]>(
  values: V,
  id: string,
  summary: string,
  meanings: { [K in V[number]]: string },
) {
  const list = values.map((value: V[number]) => `- \`${value}\`: ${meanings[value]}`).join("\n");
  return z.enum(values).meta({ id, description: `${summary}\n\n${list}` });
}
