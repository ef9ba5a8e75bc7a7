import { listings, users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { hashPassword } from "../identity/password.ts";
import { type ListingInput, newListingSchema } from "../listings/listing-schemas.ts";
import { listingColumns } from "../listings/listing-view.ts";
import { seedDemoBookings } from "./seed-demo-bookings.ts";

export const DEMO_PASSWORD = "stayedge-demo";

export const demoAccounts = [
  {
    email: "admin@stayedge.test",
    name: "Ada Admin",
    isAdmin: true,
    host: false,
    bio: "Keeps the lights on.",
  },
  {
    email: "host@stayedge.test",
    name: "Hugo Host",
    isAdmin: false,
    host: true,
    bio: "Three flats by the sea.",
  },
  { email: "guest@stayedge.test", name: "Gina Guest", isAdmin: false, host: false, bio: null },
] as const;

const seaside = (
  title: string,
  address: { line1: string; city: string; country: string },
  location: ListingInput["location"],
  extra: Partial<ListingInput>,
): ListingInput =>
  newListingSchema.parse({
    title,
    description: "A bright flat a short walk from the water.",
    propertyType: "entire_home",
    address,
    location,
    timezone: "Europe/Lisbon",
    maxGuests: 4,
    bedrooms: 2,
    beds: 3,
    bathrooms: 1,
    amenities: ["wifi", "kitchen", "washer", "beach_access"],
    houseRules: "No parties. Quiet after 22:00.",
    checkInTime: "15:00",
    checkOutTime: "11:00",
    nightlyPrice: 11_000,
    currency: "EUR",
    cleaningFee: 4_000,
    minNights: 2,
    maxNights: 30,
    instantBook: true,
    cancellationPolicy: "moderate",
    photos: [],
    status: "published",
    ...extra,
  });

/** The demo host's three flats by the sea. */
export const demoListings: ListingInput[] = [
  seaside(
    "Alfama terrace over the Tagus",
    { line1: "Rua dos Remédios 12", city: "Lisbon", country: "PT" },
    { lat: 38.7115, lng: -9.1295 },
    {},
  ),
  seaside(
    "Cascais fisherman's house",
    { line1: "Rua Direita 3", city: "Cascais", country: "PT" },
    { lat: 38.6967, lng: -9.4215 },
    {
      nightlyPrice: 15_500,
      maxGuests: 6,
      bedrooms: 3,
      amenities: ["wifi", "kitchen", "pool", "free_parking", "beach_access"],
    },
  ),
  seaside(
    "Nice seafront studio",
    { line1: "12 Promenade des Anglais", city: "Nice", country: "FR" },
    { lat: 43.6947, lng: 7.2653 },
    {
      timezone: "Europe/Paris",
      nightlyPrice: 9_500,
      maxGuests: 2,
      bedrooms: 1,
      beds: 1,
      instantBook: false,
      cancellationPolicy: "flexible",
    },
  ),
];

/**
 * Demo data for the embedded database's first start: an admin, a host (with three published
 * listings, their calendars and the guest's past, current and coming stays) and a guest, all with
 * DEMO_PASSWORD. Safe to run twice: existing e-mails are left as
 * they are, and listings are added only for a host created now.
 */
export async function seedDemoData({
  ctx,
}: {
  ctx: DomainContext;
  input: Record<string, never>;
}): Promise<number> {
  const now = ctx.deps.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return withTransaction(ctx, async (ctx) => {
    const inserted = await ctx.db
      .insert(users)
      .values(
        demoAccounts.map((account) => ({
          id: ctx.deps.ids.next(),
          email: account.email,
          passwordHash,
          name: account.name,
          bio: account.bio,
          isAdmin: account.isAdmin,
          hostSince: account.host ? now : null,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email });
    const host = inserted.find((u) => u.email === "host@stayedge.test");
    const guest = inserted.find((u) => u.email === "guest@stayedge.test");
    if (host) {
      const rows = await ctx.db
        .insert(listings)
        .values(
          demoListings.map((listing) => ({
            ...listingColumns(listing),
            id: ctx.deps.ids.next(),
            hostId: host.id,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning();
      if (guest) await seedDemoBookings(ctx, rows, guest.id);
    }
    return inserted.length;
  });
}
