import { invalidRequest, parameterMissing } from "./errors.ts";
import type { FormObject } from "./form.ts";

export type Metadata = Record<string, string>;

export function optionalString(params: FormObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string")
    throw invalidRequest(`Invalid string: ${name} must be a string.`, { param: name });
  return value;
}

export function requiredString(params: FormObject, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === "") throw parameterMissing(name);
  return value;
}

export function optionalAmount(params: FormObject, name: string): number | undefined {
  const raw = optionalString(params, name);
  if (raw === undefined) return undefined;
  const amount = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(amount)) {
    throw invalidRequest(`Invalid integer: ${raw}`, { code: "parameter_invalid_integer", param: name });
  }
  if (amount < 1) {
    throw invalidRequest("Amount must be at least 1.", { code: "amount_too_small", param: name });
  }
  return amount;
}

export function requiredAmount(params: FormObject, name: string): number {
  const amount = optionalAmount(params, name);
  if (amount === undefined) throw parameterMissing(name);
  return amount;
}

export function currency(params: FormObject): string {
  const code = requiredString(params, "currency");
  if (!/^[a-z]{3}$/i.test(code)) {
    throw invalidRequest(`Invalid currency: ${code.toLowerCase()}.`, { param: "currency" });
  }
  return code.toLowerCase();
}

export function oneOf<const T extends string>(params: FormObject, name: string, allowed: readonly T[]) {
  const value = optionalString(params, name);
  if (value === undefined || allowed.includes(value as T)) return value as T | undefined;
  throw invalidRequest(`Invalid ${name}: must be one of ${allowed.join(", ")}.`, { param: name });
}

/** Stripe drops a key set to the empty string. */
export function metadata(params: FormObject): Metadata {
  const value = params.metadata;
  if (value === undefined || value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalidRequest("Invalid object: metadata must be a hash.", { param: "metadata" });
  }
  const result: Metadata = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") {
      throw invalidRequest("Metadata values must be strings.", { param: `metadata[${key}]` });
    }
    if (entry !== "") result[key] = entry;
  }
  return result;
}

export function requiredUrl(params: FormObject, name: string): string {
  const value = requiredString(params, name);
  if (!URL.canParse(value)) throw invalidRequest("Not a valid URL", { code: "url_invalid", param: name });
  return value;
}
