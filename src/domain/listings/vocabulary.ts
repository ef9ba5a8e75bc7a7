/** The closed lists a listing is described with (the database columns and the API share them). */
export const propertyTypes = ["entire_home", "private_room", "shared_room", "hotel_room"] as const;
export const cancellationPolicies = ["flexible", "moderate", "firm", "strict"] as const;
export const listingStatuses = ["draft", "published", "unlisted"] as const;
export const amenityNames = [
  "wifi",
  "kitchen",
  "washer",
  "dryer",
  "air_conditioning",
  "heating",
  "pool",
  "hot_tub",
  "free_parking",
  "ev_charger",
  "workspace",
  "tv",
  "gym",
  "breakfast",
  "pets_allowed",
  "smoking_allowed",
  "crib",
  "bbq_grill",
  "fireplace",
  "beach_access",
  "elevator",
  "wheelchair_accessible",
  "self_check_in",
  "smoke_alarm",
  "carbon_monoxide_alarm",
] as const;

export type PropertyType = (typeof propertyTypes)[number];
export type CancellationPolicy = (typeof cancellationPolicies)[number];
export type ListingStatus = (typeof listingStatuses)[number];
export type Amenity = (typeof amenityNames)[number];
export type Photo = { url: string; caption: string | null };

/** Minor units: 100,000.00 in a two-decimal currency. */
export const MAX_PRICE = 10_000_000;
export const MAX_PHOTOS = 50;
/** How far ahead a listing may take stays at most (its `bookingWindowDays`), in days. */
export const MAX_BOOKING_WINDOW_DAYS = 730;
