import type { CancellationPolicy } from "../listings/vocabulary.ts";
import type { Quote } from "./booking-schemas.ts";
import { addDays, wallClock, zonedInstant } from "./local-time.ts";
import { shareOf } from "./money.ts";

type Schedule = Quote["cancellation"];

const HOUR_MS = 3_600_000;

export interface StayMoment {
  policy: CancellationPolicy;
  timezone: string;
  checkIn: string;
  /** The listing's check-in time, `HH:MM`. */
  checkInTime: string;
  /** When the guest books (or asks for the quote). */
  bookedAt: Date;
  total: number;
}

/**
 * The listing's published policy (DESIGN §3) as deadlines for one stay: until each deadline the
 * guest gets back that share of the total. Days count on the listing's calendar, at its check-in
 * time, so they hold across a change of clocks.
 */
function deadlines(stay: StayMoment): Array<{ until: Date; percent: number }> {
  const beforeCheckIn = (days: number) =>
    zonedInstant(addDays(stay.checkIn, -days), stay.checkInTime, stay.timezone);
  switch (stay.policy) {
    case "flexible":
      return [{ until: beforeCheckIn(1), percent: 100 }];
    case "moderate":
      return [{ until: beforeCheckIn(5), percent: 100 }];
    case "firm":
      return [
        { until: beforeCheckIn(30), percent: 100 },
        { until: beforeCheckIn(7), percent: 50 },
      ];
    case "strict": {
      // In full only within 48 hours of booking, and only while check-in is 14 or more days away.
      const grace = Math.min(stay.bookedAt.getTime() + 48 * HOUR_MS, beforeCheckIn(14).getTime());
      return [
        { until: new Date(grace), percent: 100 },
        { until: beforeCheckIn(7), percent: 50 },
      ];
    }
  }
}

export function refundSchedule(stay: StayMoment): Schedule {
  const open = deadlines(stay).filter((step) => step.until > stay.bookedAt);
  const steps: Schedule["steps"] = open.map(({ until, percent }) => {
    const untilLocal = wallClock(until, stay.timezone).slice(0, 16);
    return {
      until: until.toISOString(),
      untilLocal,
      refundPercent: percent,
      refund: shareOf(stay.total, percent * 100),
      description: `until ${untilLocal} ${stay.timezone}: ${percent}%`,
    };
  });
  steps.push({
    until: null,
    untilLocal: null,
    refundPercent: 0,
    refund: 0,
    description: steps.length > 0 ? "after that: 0%" : "no refund",
  });
  return { policy: stay.policy, timezone: stay.timezone, steps };
}

/** The refund a guest's cancellation at `at` earns under `schedule`. */
export function refundAt(schedule: Schedule, at: Date): number {
  const step = schedule.steps.find((s) => s.until === null || at < new Date(s.until));
  return step?.refund ?? 0;
}
