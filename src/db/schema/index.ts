export * from "./bookings.ts";
export * from "./calendar-sync.ts";
export * from "./identity.ts";
export * from "./infra.ts";
export * from "./listings.ts";
export * from "./messages.ts";
export * from "./payments.ts";
export * from "./reviews.ts";
