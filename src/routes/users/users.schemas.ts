import { z } from "@hono/zod-openapi";
import { documentedEnum } from "../../domain/documented-enum.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../domain/identity/password.ts";
import { reviewSummarySchema } from "../../domain/reviews/review-schemas.ts";

export const emailField = z.email().max(254).openapi({ example: "alice@example.com" });
export const passwordField = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH).openapi({
  description: "8–128 characters; any characters, no composition rules",
  example: "correct horse battery staple",
});
export const nameField = z.string().trim().min(1).max(100).openapi({ example: "Alice Martin" });
export const userId = z.uuid().openapi({ example: "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e" });

const roleSchema = documentedEnum(["guest", "host", "admin"], "Role", "What an account may do.", {
  guest: "book stays and review them",
  host: "also publish listings: any account becomes one with its first listing",
  admin: "also moderate: see every account, suspend and reinstate, hide reviews, see payment issues",
});

export const userStatusSchema = documentedEnum(
  ["active", "suspended"],
  "UserStatus",
  "Whether an account may sign in.",
  {
    active: "it may",
    suspended: "an admin suspended it: it cannot sign in, and its sessions ended",
  },
);

const timestamp = z.iso.datetime().openapi({ example: "2026-06-01T12:00:00.000Z" });

export const privateUserSchema = z
  .object({
    id: userId,
    email: emailField,
    name: z.string(),
    bio: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    phone: z.string().nullable().openapi({ example: "+33612345678" }),
    role: roleSchema,
    isHost: z.boolean(),
    status: userStatusSchema,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi("User", { description: "An account as its owner (or an admin) sees it." });

export const publicProfileSchema = z
  .object({
    id: userId,
    name: z.string(),
    avatarUrl: z.string().nullable(),
    bio: z.string().nullable(),
    memberSince: timestamp,
    isHost: z.boolean(),
    reviews: z.object({ asGuest: reviewSummarySchema, asHost: reviewSummarySchema }).openapi({
      description: "Published reviews about them: by their hosts (as guest) and their guests (as host)",
    }),
  })
  .openapi("PublicProfile", { description: "What anyone may see of a user: no e-mail, no phone." });

export const profileChangesSchema = z
  .object({
    name: nameField.optional(),
    bio: z.string().max(1000).nullable().optional(),
    avatarUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullable()
      .optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "Use the international E.164 form, e.g. +33612345678")
      .nullable()
      .optional(),
  })
  .strict()
  .openapi("ProfileChanges", { description: "The profile fields to change; `null` clears an optional one." });

export const idParams = z.object({ id: userId.openapi({ param: { name: "id", in: "path" } }) });
