import { z } from "zod";
import { getListing } from "../domain/listings/get-listing.ts";
import { getListings } from "../domain/listings/get-listings.ts";
import { listMyListings } from "../domain/listings/list-my-listings.ts";
import {
  amenitySchema,
  listingSchema,
  propertyTypeSchema,
  searchItemSchema,
} from "../domain/listings/listing-schemas.ts";
import { listingNotFound } from "../domain/listings/listing-store.ts";
import { searchPositionSchema, searchSorts } from "../domain/listings/search-input.ts";
import { searchListings } from "../domain/listings/search-listings.ts";
import { decodeCursor, decodeNewestFirst, encodeCursor } from "../http/cursor.ts";
import * as routes from "../routes/listings/listings.routes.ts";
import { searchInputOf } from "../routes/listings/listings.schemas.ts";
import { restInput } from "./args.ts";
import { inKeyOrder } from "./batch.ts";
import { builder } from "./builder.ts";
import { connectionOf, newestFirstCursor, pageArgs } from "./connections.ts";
import { PublicProfile } from "./users.ts";
import { typeDescription, zodEnum, zodFields, zodObject } from "./zod-types.ts";

/** A listing, read in one batch for all the bookings and search results of a query. */
export const Listing = builder.loadableObjectRef("Listing", {
  load: async (ids: string[], { domain }) => {
    const found = await getListings({ ctx: domain, input: { ids } });
    return inKeyOrder(
      ids,
      found.map((listing) => [listing.id, listing]),
      listingNotFound,
    );
  },
});

Listing.implement({
  description: typeDescription(listingSchema),
  fields: (t) => ({
    ...zodFields(t, listingSchema, "Listing"),
    host: t.field({
      type: PublicProfile,
      nullable: true,
      resolve: (listing) => listing.hostId,
    }),
  }),
});

export const ListingSummary = zodObject(searchItemSchema);

builder.objectField(ListingSummary, "listing", (t) =>
  t.field({
    type: Listing,
    // A search answer may be a few seconds old: the listing may be gone since.
    nullable: true,
    description: "The whole listing, with its host, reviews and calendar",
    resolve: (item) => item.id,
  }),
);

const ListingConnection = builder.connectionObject({ type: Listing, name: "ListingConnection" });
const ListingSummaryConnection = builder.connectionObject({
  type: ListingSummary,
  name: "ListingSummaryConnection",
  description: "A page of a search: each listing as a card shows it.",
});

const SearchSort = zodEnum(
  z.enum(searchSorts).meta({
    description:
      "`price_asc` / `price_desc`: by the nightly price (the default without `near`); `newest`: newest " +
      "first; `distance`: nearest first, with `near` (the default with it); `rating`: best rated first.",
  }),
  "SearchSort",
);

const LatLng = builder.inputType("LatLng", {
  description: "A point on Earth, in degrees.",
  fields: (t) => ({ lat: t.float({ required: true }), lng: t.float({ required: true }) }),
});

const BoundingBox = builder.inputType("BoundingBox", {
  description: "A box on the map: its south-west and north-east corners, in degrees.",
  fields: (t) => ({
    swLat: t.float({ required: true }),
    swLng: t.float({ required: true }),
    neLat: t.float({ required: true }),
    neLng: t.float({ required: true }),
  }),
});

builder.queryFields((t) => ({
  listing: t.field({
    type: Listing,
    nullable: true,
    description: "A listing: anyone's once published; your own drafts and unlisted ones too.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, { domain }) => {
      const { id } = restInput(routes.getListing.request.params, args);
      return (await getListing({ ctx: domain, input: { id } })).listing;
    },
  }),
  listings: t.field({
    type: ListingSummaryConnection,
    nullable: true,
    description:
      "Search published listings, as `GET /v1/listings` does: the same filters, rules and order. " +
      "Place by `city`+`country`, `bbox`, or `near`+`radiusKm`; with `checkIn`+`checkOut`, only " +
      "listings free for the stay, each with its total.",
    args: {
      q: t.arg.string({ description: "Free text over title and city, 2 to 100 characters" }),
      city: t.arg.string({ description: "With `country`" }),
      country: t.arg.string({ description: "ISO 3166-1 alpha-2" }),
      bbox: t.arg({ type: BoundingBox, description: "Not with `near`" }),
      near: t.arg({ type: LatLng }),
      radiusKm: t.arg.float({ description: "With `near`: 0.1 to 100, default 10" }),
      guests: t.arg.int(),
      minPrice: t.arg.int({ description: "The lowest nightly price, in minor units of `currency`" }),
      maxPrice: t.arg.int({ description: "The highest nightly price, in minor units of `currency`" }),
      minRating: t.arg.float({
        description: "The lowest average rating, 1 to 5; unrated listings are left out",
      }),
      currency: t.arg.string({ description: "ISO 4217" }),
      propertyType: t.arg({ type: zodEnum(propertyTypeSchema) }),
      amenities: t.arg({ type: [zodEnum(amenitySchema)], description: "Listings having all of them" }),
      instantBook: t.arg.boolean(),
      checkIn: t.arg({ type: "Date", description: "With `checkOut`: only listings free for the stay" }),
      checkOut: t.arg({ type: "Date", description: "The day the guest leaves" }),
      sort: t.arg({ type: SearchSort }),
      ...pageArgs(t.arg, 50),
    },
    resolve: async (_root, args, { domain }) => {
      // REST's query, as a query string would carry it: one set of rules for both APIs.
      const { near, bbox, amenities, instantBook, ...rest } = args;
      const query = restInput(routes.searchListings.request.query, {
        ...rest,
        near: near && `${near.lat},${near.lng}`,
        bbox: bbox && `${bbox.swLat},${bbox.swLng},${bbox.neLat},${bbox.neLng}`,
        amenities: amenities?.join(","),
        instantBook: instantBook === null || instantBook === undefined ? undefined : String(instantBook),
      });
      const after = query.cursor ? decodeCursor(query.cursor, searchPositionSchema) : undefined;
      const page = await searchListings({ ctx: domain, input: { ...searchInputOf(query), after } });
      return connectionOf(page, encodeCursor);
    },
  }),
  myListings: t.field({
    type: ListingConnection,
    nullable: true,
    description: "Your listings in every status, newest first. Needs a token.",
    args: pageArgs(t.arg, 50),
    resolve: async (_root, args, { domain }) => {
      const { limit, cursor } = restInput(routes.listMine.request.query, args);
      const page = await listMyListings({ ctx: domain, input: { limit, after: decodeNewestFirst(cursor) } });
      return connectionOf(page, newestFirstCursor);
    },
  }),
}));
