/**
 * The one rounding rule for money: a share of an amount in minor units, given in basis points
 * (1/100 of a percent), rounded half up to a whole minor unit. Every fee, tax, discount and refund
 * goes through it, so the parts of a price are whole and add up.
 */
export function shareOf(amount: number, basisPoints: number): number {
  return Math.floor((amount * basisPoints + 5_000) / 10_000);
}

/** A percentage (up to two decimals, as config gives them) in basis points. */
export const basisPoints = (percent: number) => Math.round(percent * 100);
