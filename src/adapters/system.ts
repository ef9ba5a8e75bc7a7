import type { Clock, Ids, LogFields, Logger, LogLevel } from "../ports.ts";

export const systemClock: Clock = { now: () => new Date() };

/** UUIDv7 (RFC 9562): 48-bit milliseconds, then random bits; sorts by creation time. */
export function uuidv7Ids(clock: Clock = systemClock): Ids {
  return {
    next() {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      const ms = clock.now().getTime();
      for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

const rank: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** One JSON object per line on stdout (Node) or the Workers log stream. */
export function jsonLogger(
  minLevel: LogLevel | "silent" = "info",
  write: (line: string) => void = (line) => console.log(line),
  clock: Clock = systemClock,
): Logger {
  return {
    log(level: LogLevel, message: string, fields: LogFields = {}) {
      if (rank[level] < rank[minLevel]) return;
      write(JSON.stringify({ time: clock.now().toISOString(), level, message, ...fields }));
    },
  };
}
