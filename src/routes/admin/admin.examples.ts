import type { z } from "@hono/zod-openapi";
import { guestUserExample, hostUserExample } from "../users/users.examples.ts";
import type { privateUserSchema } from "../users/users.schemas.ts";

/** The reference's admin examples: Camille's account (the path examples name her id) as admins change it. */

type PrivateUser = z.output<typeof privateUserSchema>;

/**
 * A page of two accounts, newest first; the cursor is that of the page's last account, Camille's
 * (base64url of `{"c":"2025-11-30T22:48:53.564Z","i":"019ad6f4-…"}`).
 */
export const userPageExample: { items: PrivateUser[]; nextCursor: string | null } = {
  items: [guestUserExample, hostUserExample],
  nextCursor:
    "eyJjIjoiMjAyNS0xMS0zMFQyMjo0ODo1My41NjRaIiwiaSI6IjAxOWFkNmY0LTZhM2MtN2M0MS05YTU1LTBmN2U1YjFjMmQzZSJ9",
};

/** Camille's account, suspended. */
export const suspendedUserExample: PrivateUser = {
  ...hostUserExample,
  status: "suspended",
  updatedAt: "2026-01-12T10:04:51.226Z",
};

/** Camille's account, reinstated after its suspension. */
export const reinstatedUserExample: PrivateUser = {
  ...hostUserExample,
  status: "active",
  updatedAt: "2026-01-13T09:30:18.540Z",
};

/** Camille's account, now an admin: `role` says `admin`, `isHost` that she still hosts. */
export const adminGrantedExample: PrivateUser = {
  ...hostUserExample,
  role: "admin",
  updatedAt: "2026-01-20T15:12:09.873Z",
};
