/**
 * The ids the reference's examples share, so that a booking's example names the listing of the
 * listing's example, its guest the user of the user's example, and so on.
 */
export const exampleIds = {
  host: "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e",
  guest: "019ad6f5-1b2c-7d3e-8f40-5a6b7c8d9e0f",
  admin: "019ad6f0-0a1b-7c2d-8e3f-405162738495",
  listing: "019af3c2-7d4e-7a10-9c1b-2f4d5e6a7b8c",
  booking: "019b0a11-3c4d-7e5f-8a6b-7c8d9e0f1a2b",
  review: "019af3c2-8a1e-7b22-9d3f-4e5a6b7c8d9e",
} as const;
