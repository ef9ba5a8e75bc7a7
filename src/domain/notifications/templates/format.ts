import { wallClock } from "../../bookings/local-time.ts";

/**
 * Dates, times and money as e-mails write them, in English. Written out by hand (not `Intl`'s
 * date styles, which differ between ICU versions): a mail reads the same from Node and Workers.
 */

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A calendar date (`YYYY-MM-DD`, a stay's date where the home is): `Wed 1 Jul 2026`. */
export function formatDate(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[day.getUTCDay()]} ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
}

/** An instant on the clock of `timeZone` (the listing's): `Thu 2 Jul 2026, 14:30 (Europe/Paris)`. */
export function formatInstant(instant: Date, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return `${formatDate(wall.slice(0, 10))}, ${wall.slice(11, 16)} (${timeZone})`;
}

/**
 * ISO 4217's minor units where they are not two (https://www.iso.org/iso-4217-currency-codes.html,
 * list one); amounts are integers of these units everywhere in the app, as Stripe takes them.
 */
const digitsOf: Array<[number, Set<string>]> = [
  [0, new Set("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" "))],
  [3, new Set("BHD IQD JOD KWD LYD OMR TND".split(" "))],
  [4, new Set(["CLF", "UYW"])],
];

export function minorUnitDigits(currency: string): number {
  return digitsOf.find(([, codes]) => codes.has(currency))?.[0] ?? 2;
}

/** An amount in minor units of `currency` as people read it: `€1,234.50`, `¥12,000`, `KWD 1.250`. */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}
