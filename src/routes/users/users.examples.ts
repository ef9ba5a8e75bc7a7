import type { z } from "@hono/zod-openapi";
import { exampleIds } from "../example-ids.ts";
import type { privateUserSchema, publicProfileSchema } from "./users.schemas.ts";

/**
 * The reference's accounts: Camille hosts the loft of the listing examples (`exampleIds.host`),
 * Alice is a guest (`exampleIds.guest`), Noor an admin. Each was created when its id says.
 */

type PrivateUser = z.output<typeof privateUserSchema>;

/** Alice's account as `auth.register` creates it: nothing but her name and e-mail yet. */
export const registeredUserExample: PrivateUser = {
  id: exampleIds.guest,
  email: "alice@example.com",
  name: "Alice Martin",
  bio: null,
  avatarUrl: null,
  phone: null,
  role: "guest",
  isHost: false,
  status: "active",
  createdAt: "2025-11-30T22:49:38.860Z",
  updatedAt: "2025-11-30T22:49:38.860Z",
};

/** Alice's account, her phone added since. */
export const guestUserExample: PrivateUser = {
  ...registeredUserExample,
  phone: "+33612345678",
  updatedAt: "2025-12-02T08:15:11.402Z",
};

/** Alice's account after the `users.updateMe` example's change. */
export const updatedGuestUserExample: PrivateUser = {
  ...guestUserExample,
  name: "Alice M.",
  bio: "Loves the sea",
  updatedAt: "2025-12-04T19:02:36.771Z",
};

/** Camille's account: she hosts the loft. */
export const hostUserExample: PrivateUser = {
  id: exampleIds.host,
  email: "camille@example.com",
  name: "Camille Laurent",
  bio: "Architect in the 10th arrondissement. I host the loft I grew up in.",
  avatarUrl: "https://images.example.com/avatars/camille.jpg",
  phone: "+33698765432",
  role: "host",
  isHost: true,
  status: "active",
  createdAt: "2025-11-30T22:48:53.564Z",
  updatedAt: "2025-12-06T13:03:20.910Z",
};

/** Noor's account: an admin. */
export const adminUserExample: PrivateUser = {
  id: exampleIds.admin,
  email: "noor@example.com",
  name: "Noor Haddad",
  bio: null,
  avatarUrl: null,
  phone: null,
  role: "admin",
  isHost: false,
  status: "active",
  createdAt: "2025-11-30T22:44:06.811Z",
  updatedAt: "2025-11-30T22:44:06.811Z",
};

/** What anyone sees of Camille: the loft's twelve reviews make her host rating. */
export const publicProfileExample: z.output<typeof publicProfileSchema> = {
  id: exampleIds.host,
  name: "Camille Laurent",
  avatarUrl: "https://images.example.com/avatars/camille.jpg",
  bio: "Architect in the 10th arrondissement. I host the loft I grew up in.",
  memberSince: "2025-11-30T22:48:53.564Z",
  isHost: true,
  reviews: { asGuest: { count: 2, average: 5 }, asHost: { count: 12, average: 4.83 } },
};
