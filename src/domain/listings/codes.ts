import { z } from "zod";

// CLDR names these too, but they are not countries.
const notCountries = new Set(["EU", "EZ", "UN", "QO", "ZZ"]);

/** Every ISO 3166-1 alpha-2 code the runtime's CLDR knows, worked out once. */
const countryCodes = (() => {
  const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const codes = new Set<string>();
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      if (!notCountries.has(code) && names.of(code) !== undefined) codes.add(code);
    }
  }
  return codes;
})();

const currencies = new Set(Intl.supportedValuesOf("currency"));

export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, "Use an ISO 3166-1 alpha-2 code, e.g. FR")
  .refine((code) => countryCodes.has(code), "Unknown country code")
  .meta({ description: "ISO 3166-1 alpha-2", example: "FR" });

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "Use an ISO 4217 code, e.g. EUR")
  .refine((code) => currencies.has(code), "Unknown currency code")
  .meta({ description: "ISO 4217", example: "EUR" });

export const timeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Unknown IANA time zone")
  .meta({ example: "Europe/Paris" });

export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use 24-hour HH:MM");
