import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { guestUserExample, publicProfileExample, updatedGuestUserExample } from "./users.examples.ts";
import {
  idParams,
  passwordField,
  privateUserSchema,
  profileChangesSchema,
  publicProfileSchema,
} from "./users.schemas.ts";

export const me = createRoute({
  method: "get",
  path: "/users/me",
  operationId: "users.me",
  tags: ["Users"],
  summary: "The signed-in account",
  description: "Your account as you see it: e-mail, phone, roles and dates, which no one else sees.",
  ...signedIn,
  responses: {
    200: { description: "The account", content: jsonContent(privateUserSchema, guestUserExample) },
    ...authResponses,
    ...errorResponses,
  },
});

export const updateMe = createRoute({
  method: "patch",
  path: "/users/me",
  operationId: "users.updateMe",
  tags: ["Users"],
  summary: "Change your profile",
  description: "Only the fields sent change; `null` clears `bio`, `avatarUrl` or `phone`.",
  ...signedIn,
  request: {
    body: jsonBody(profileChangesSchema, { name: "Alice M.", bio: "Loves the sea" }),
  },
  responses: {
    200: {
      description: "The updated account",
      content: jsonContent(privateUserSchema, updatedGuestUserExample),
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const changePassword = createRoute({
  method: "post",
  path: "/users/me/password",
  operationId: "users.changePassword",
  tags: ["Users"],
  summary: "Change your password",
  description: "Needs the current password. Every other session of the account is signed out.",
  ...signedIn,
  request: {
    body: jsonBody(z.object({ currentPassword: z.string().min(1).max(128), newPassword: passwordField }), {
      currentPassword: "correct horse battery staple",
      newPassword: "another correct horse battery",
    }),
  },
  responses: { 204: { description: "Changed" }, ...authResponses, ...errorResponses },
});

export const getUser = createRoute({
  method: "get",
  path: "/users/{id}",
  operationId: "users.get",
  tags: ["Users"],
  summary: "A user's public profile",
  description:
    "What anyone may see of a user: name, avatar, bio, since when, whether they host, and what " +
    "published reviews say of them as a guest and as a host. Never the e-mail or the phone.",
  security: [],
  request: { params: idParams },
  responses: {
    200: { description: "The profile", content: jsonContent(publicProfileSchema, publicProfileExample) },
    404: problemResponseFor("No such user", { NOT_FOUND: "No user with this id." }),
    ...errorResponses,
  },
});
