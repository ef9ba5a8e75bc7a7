import { createRoute, z } from "@hono/zod-openapi";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";
import { jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { idParams, privateUserSchema, userStatusSchema } from "../users/users.schemas.ts";
import {
  adminGrantedExample,
  reinstatedUserExample,
  suspendedUserExample,
  userPageExample,
} from "./admin.examples.ts";

export const userPageSchema = pageSchema(privateUserSchema, "UserPage");

const noSuchUser = problemResponseFor("No such user", { NOT_FOUND: "No user with this id." });

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
      status: userStatusSchema.optional(),
    }),
  },
  responses: {
    200: { description: "A page of accounts", content: jsonContent(userPageSchema, userPageExample) },
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
      200: {
        description: "The account",
        content: jsonContent(
          privateUserSchema,
          action === "suspend" ? suspendedUserExample : reinstatedUserExample,
        ),
      },
      ...authResponses,
      404: noSuchUser,
      409: problemResponseFor("An admin cannot suspend themselves", {
        CONFLICT: "Administrators cannot suspend themselves.",
      }),
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
      content: jsonContent(privateUserSchema, adminGrantedExample),
    },
    ...authResponses,
    404: noSuchUser,
    ...errorResponses,
  },
});
