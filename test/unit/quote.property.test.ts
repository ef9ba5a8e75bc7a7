import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nightsPriced, priceStay } from "../../src/domain/bookings/price-stay.ts";
import { MAX_PRICE } from "../../src/domain/listings/vocabulary.ts";

/**
 * Issue 13: the parts of a quote, for any listing, calendar and platform rates. The expectations
 * are stated here again, in exact integer arithmetic, not by calling the app's helpers.
 */

const DAY_MS = 86_400_000;
const dateAt = (start: string, days: number) =>
  new Date(Date.parse(start) + days * DAY_MS).toISOString().slice(0, 10);

/** `amount × numerator / denominator`, rounded half up, computed exactly. */
function roundedShare(amount: number, numerator: number, denominator: number): number {
  const twice = 2n * BigInt(amount) * BigInt(numerator) + BigInt(denominator);
  return Number(twice / (2n * BigInt(denominator)));
}

const money = fc.integer({ min: 0, max: MAX_PRICE });
const percent = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 }));
// Stay lengths around the discount thresholds come up often; long stays now and then.
const nights = fc.oneof(
  fc.integer({ min: 1, max: 35 }),
  fc.constantFrom(6, 7, 8, 27, 28, 29),
  fc.integer({ min: 1, max: 400 }),
);

const scenario = fc
  .record({
    listing: fc.record({
      currency: fc.constantFrom("EUR", "USD", "JPY"),
      cleaningFee: fc.oneof(fc.constant(0), money),
      weeklyDiscountPercent: percent,
      monthlyDiscountPercent: percent,
    }),
    nightlyPrice: fc.integer({ min: 1, max: MAX_PRICE }),
    // Check-in from 2026 to the end of 2028, leap day included.
    checkIn: fc.integer({ min: 0, max: 1095 }).map((d) => dateAt("2026-01-01", d)),
    nights,
    // Basis points: 0 to 100% in steps of 0.01%, as config allows.
    rates: fc.record({
      guestServiceFee: fc.integer({ min: 0, max: 10_000 }),
      hostServiceFee: fc.integer({ min: 0, max: 10_000 }),
      taxes: fc.integer({ min: 0, max: 10_000 }),
    }),
  })
  .chain((s) =>
    // Calendar rows from a few days before check-in to a few after check-out: a price of its own,
    // or none (a blocked date: the stay's quote never sees one, but the mapping must skip it).
    fc
      .uniqueArray(
        fc.record({
          offset: fc.integer({ min: -5, max: s.nights + 5 }),
          price: fc.option(fc.integer({ min: 1, max: MAX_PRICE }), { nil: null, freq: 4 }),
        }),
        { selector: (d) => d.offset, maxLength: 20 },
      )
      .map((days) => ({ ...s, days })),
  );

describe("a quote (property-based)", () => {
  it("prices each night at its calendar price on exactly its date, else at the nightly price", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const checkOut = dateAt(s.checkIn, s.nights);
        const days = s.days.map((d) => ({ day: dateAt(s.checkIn, d.offset), price: d.price }));
        const nightly = nightsPriced(s.checkIn, checkOut, s.nightlyPrice, days);
        const own = new Map(s.days.map((d) => [d.offset, d.price]));
        const expected = Array.from({ length: s.nights }, (_, i) => ({
          date: dateAt(s.checkIn, i),
          price: own.get(i) ?? s.nightlyPrice,
        }));
        expect(nightly).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it("adds up: whole, non-negative parts; the discount by the rule, on the nights only", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const checkOut = dateAt(s.checkIn, s.nights);
        const days = s.days.map((d) => ({ day: dateAt(s.checkIn, d.offset), price: d.price }));
        const nightly = nightsPriced(s.checkIn, checkOut, s.nightlyPrice, days);
        const q = priceStay(s.listing, nightly, s.rates);

        const nightsTotal = nightly.reduce((sum, n) => sum + n.price, 0);
        const { weeklyDiscountPercent: weekly, monthlyDiscountPercent: monthly } = s.listing;
        const discountPercent = s.nights >= 28 && monthly > 0 ? monthly : s.nights >= 7 ? weekly : 0;
        const discount = roundedShare(nightsTotal, discountPercent, 100);
        const stay = nightsTotal - discount + s.listing.cleaningFee;

        expect(q.nightly).toBe(nightly);
        expect(q).toMatchObject({
          currency: s.listing.currency,
          nights: s.nights,
          nightsTotal,
          discountPercent,
          discount,
          cleaningFee: s.listing.cleaningFee,
          serviceFee: roundedShare(stay, s.rates.guestServiceFee, 10_000),
          taxes: roundedShare(stay, s.rates.taxes, 10_000),
          hostFee: roundedShare(stay, s.rates.hostServiceFee, 10_000),
        });
        expect(q.total).toBe(q.nightsTotal - q.discount + q.cleaningFee + q.serviceFee + q.taxes);
        expect(q.hostPayout).toBe(q.nightsTotal - q.discount + q.cleaningFee - q.hostFee);
        const amounts = [
          q.nightsTotal,
          q.discount,
          q.cleaningFee,
          q.serviceFee,
          q.taxes,
          q.total,
          q.hostFee,
          q.hostPayout,
          ...q.nightly.map((n) => n.price),
        ];
        expect(amounts.filter((amount) => !(Number.isSafeInteger(amount) && amount >= 0))).toEqual([]);
        expect(q.discount).toBeLessThanOrEqual(q.nightsTotal);
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});
