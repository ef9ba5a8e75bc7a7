import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { registeredUserExample } from "../users/users.examples.ts";
import { emailField, nameField, passwordField, privateUserSchema } from "../users/users.schemas.ts";
import {
  passwordResetAcceptedExample,
  refreshedTokenPairExample,
  tokenPairExample,
} from "./auth.examples.ts";

export const tokenPairSchema = z
  .object({
    accessToken: z.string().openapi({ description: "JWT, HS256, valid 15 minutes" }),
    refreshToken: z.string().openapi({ description: "Opaque; single use: each refresh returns a new one" }),
    tokenType: z.literal("Bearer"),
    expiresIn: z
      .number()
      .int()
      .openapi({ description: "Seconds until the access token expires", example: 900 }),
  })
  .openapi("TokenPair", {
    description: "A session's tokens: a short-lived access token (JWT) and a single-use refresh token.",
  });

const acceptedSchema = z.object({ message: z.string() }).openapi("Accepted", {
  description: "The request was taken; what follows happens out of band (an e-mail).",
});
const rateLimited = { 429: errorResponses[429] };

export const register = createRoute({
  method: "post",
  path: "/auth/register",
  operationId: "auth.register",
  tags: ["Auth"],
  summary: "Create an account",
  description:
    "An e-mail and a password of 8 to 128 characters. Answers the new account; sign in with " +
    "`auth.login` for tokens. Rate limited per IP; an e-mail already registered is 409 `CONFLICT`.",
  security: [],
  request: {
    body: jsonBody(z.object({ email: emailField, password: passwordField, name: nameField }), {
      email: "alice@example.com",
      password: "correct horse battery staple",
      name: "Alice Martin",
    }),
  },
  responses: {
    201: {
      description: "Created",
      headers: { Location: { schema: { type: "string" }, description: "The account's public profile" } },
      content: jsonContent(privateUserSchema, registeredUserExample),
    },
    409: problemResponseFor("The e-mail is taken", {
      CONFLICT: "An account with this email already exists.",
    }),
    ...errorResponses,
  },
});

export const login = createRoute({
  method: "post",
  path: "/auth/login",
  operationId: "auth.login",
  tags: ["Auth"],
  summary: "Sign in",
  description: "Wrong e-mail and wrong password get the same answer. Rate limited per IP and per e-mail.",
  security: [],
  request: {
    body: jsonBody(z.object({ email: emailField, password: z.string().min(1).max(128) }), {
      email: "alice@example.com",
      password: "correct horse battery staple",
    }),
  },
  responses: {
    200: { description: "Signed in", content: jsonContent(tokenPairSchema, tokenPairExample) },
    401: problemResponseFor("Wrong e-mail or password", {
      UNAUTHENTICATED: "The email or password is incorrect.",
    }),
    403: problemResponseFor("The account is suspended", { FORBIDDEN: "This account is suspended." }),
    ...errorResponses,
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  operationId: "auth.refresh",
  tags: ["Auth"],
  summary: "Exchange a refresh token for a new pair",
  description:
    "The presented refresh token stops working. Presenting one that was already used signs the whole session out.",
  security: [],
  request: {
    body: jsonBody(z.object({ refreshToken: z.string().min(1).max(200) }), {
      refreshToken: "kq0a8u1Pq3Zb2mT9x7wV5yR4sN6cL1dE8fG3hJ2kM0o",
    }),
  },
  responses: {
    200: { description: "A new pair", content: jsonContent(tokenPairSchema, refreshedTokenPairExample) },
    401: problemResponseFor("Invalid, used or expired refresh token", {
      UNAUTHENTICATED: "The refresh token is invalid or expired. Sign in again.",
    }),
    ...errorResponses,
  },
});

export const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "auth.logout",
  tags: ["Auth"],
  summary: "Sign out this session",
  description: "The access token and every refresh token of the session stop working.",
  ...signedIn,
  responses: { 204: { description: "Signed out" }, ...authResponses, ...errorResponses },
});

export const requestPasswordReset = createRoute({
  method: "post",
  path: "/auth/password-reset",
  operationId: "auth.requestPasswordReset",
  tags: ["Auth"],
  summary: "E-mail a password-reset link",
  description: "Answers the same whether or not the e-mail has an account.",
  security: [],
  request: { body: jsonBody(z.object({ email: emailField }), { email: "alice@example.com" }) },
  responses: {
    202: { description: "Accepted", content: jsonContent(acceptedSchema, passwordResetAcceptedExample) },
    ...rateLimited,
    ...errorResponses,
  },
});

export const resetPassword = createRoute({
  method: "post",
  path: "/auth/password-reset/confirm",
  operationId: "auth.resetPassword",
  tags: ["Auth"],
  summary: "Set a new password with a reset token",
  description: "The token works once. Every session of the account is signed out.",
  security: [],
  request: {
    body: jsonBody(z.object({ token: z.string().min(1).max(200), newPassword: passwordField }), {
      token: "Zb2mT9x7wV5yR4sN6cL1dE8fG3hJ2kM0okq0a8u1Pq3",
      newPassword: "another correct horse battery",
    }),
  },
  responses: { 204: { description: "Password changed" }, ...errorResponses },
});
