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
  conversation: "019b0a0e-52f1-7a6c-b3d4-1e2f3a4b5c6d",
  enquiry: "019b0a0e-52f3-7b81-9c2d-3e4f5a6b7c8d",
  reply: "019b0a0f-0d17-7e42-8a5b-6c7d8e9f0a1b",
  bookingMessage: "019b0a11-3c4f-7f10-a2b3-c4d5e6f7a8b9",
  calendarImport: "019b0a2c-4e5f-7a81-b2c3-d4e5f6a7b8c9",
} as const;
