import type { Clock, Ids, LogFields, Logger, LogLevel } from "../ports.ts";

export const systemClock: Clock = { now: () => new Date() };

const POOL_SIZE = 4096;

/** UUIDv7 (RFC 9562): 48-bit milliseconds, then random bits; sorts by creation time. */
export function uuidv7Ids(clock: Clock = systemClock): Ids {
  // Random bytes drawn 4 KiB at a time: one getRandomValues call per 400 ids, not per id.
  let pool = new Uint8Array(0);
  let offset = POOL_SIZE;
  const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  return {
    next() {
      if (offset + 10 > pool.length) {
        pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
        offset = 0;
      }
      const bytes = new Uint8Array(16);
      bytes.set(pool.subarray(offset, offset + 10), 6);
      offset += 10;
      let ms = clock.now().getTime();
      for (let i = 5; i >= 0; i--) {
        bytes[i] = ms % 256;
        ms = Math.floor(ms / 256);
      }
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      let out = "";
      for (let i = 0; i < 16; i++) {
        out += hex[bytes[i] ?? 0];
        if (i === 3 || i === 5 || i === 7 || i === 9) out += "-";
      }
      return out;
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
