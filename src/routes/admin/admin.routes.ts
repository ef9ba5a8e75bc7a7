import { createRoute, z } from "@hono/zod-openapi";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { idParams, privateUserSchema } from "../users/users.schemas.ts";

export const userPageSchema = pageSchema(privateUserSchema, "UserPage");

export const listUsers = createRoute({
  method: "get",
  path: "/admin/users",
  operationId: "admin.listUsers",
  tags: ["Admin"],
  summary: "List accounts, newest first",
  description:
    "Every account with its private fields, optionally by status, with keyset cursors. Admins only.",
  ...signedIn,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: cursorQuery,
      status: z.enum(["active", "suspended"]).optional(),
    }),
  },
  responses: {
    200: { description: "A page of accounts", content: { "application/json": { schema: userPageSchema } } },
    ...authResponses,
    ...errorResponses,
  },
});

const statusChange = (action: "suspend" | "reinstate") =>
  createRoute({
    method: "post",
    path: `/admin/users/{id}/${action}`,
    operationId: action === "suspend" ? "admin.suspendUser" : "admin.reinstateUser",
    tags: ["Admin"],
    summary:
      action === "suspend" ? "Suspend an account (signs it out everywhere)" : "Reinstate a suspended account",
    description:
      action === "suspend"
        ? "Its sessions end at once and it cannot sign in until reinstated. Admins only; not yourself."
        : "It may sign in again; its old sessions stay ended. Admins only.",
    ...signedIn,
    request: { params: idParams },
    responses: {
      200: { description: "The account", content: { "application/json": { schema: privateUserSchema } } },
      ...authResponses,
      404: problemResponseFor("No such user"),
      409: problemResponseFor("An admin cannot suspend themselves"),
      ...errorResponses,
    },
  });

export const suspendUser = statusChange("suspend");
export const reinstateUser = statusChange("reinstate");

export const grantAdmin = createRoute({
  method: "post",
  path: "/admin/users/{id}/grant-admin",
  operationId: "admin.grantAdmin",
  tags: ["Admin"],
  summary: "Make an account an admin",
  description: "The account gets every admin operation from its next access token. Admins only.",
  ...signedIn,
  request: { params: idParams },
  responses: {
    200: {
      description: "The account, now an admin",
      content: { "application/json": { schema: privateUserSchema } },
    },
    ...authResponses,
    404: problemResponseFor("No such user"),
    ...errorResponses,
  },
});
