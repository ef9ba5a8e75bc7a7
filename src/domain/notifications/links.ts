import type { Config } from "../../config.ts";

/** Where e-mails send people: pages of the app at PUBLIC_URL (a local address without it). */
function base(config: Config): string {
  return (config.PUBLIC_URL ?? "http://localhost:8787").replace(/\/$/, "");
}

export const links = {
  booking: (config: Config, id: string) => `${base(config)}/bookings/${encodeURIComponent(id)}`,
  review: (config: Config, bookingId: string) =>
    `${base(config)}/bookings/${encodeURIComponent(bookingId)}/review`,
  conversation: (config: Config, id: string) => `${base(config)}/conversations/${encodeURIComponent(id)}`,
  listing: (config: Config, id: string) => `${base(config)}/listings/${encodeURIComponent(id)}`,
  profile: (config: Config, userId: string) => `${base(config)}/users/${encodeURIComponent(userId)}`,
  search: (config: Config) => `${base(config)}/search`,
  resetPassword: (config: Config, token: string) =>
    `${base(config)}/reset-password?token=${encodeURIComponent(token)}`,
};
