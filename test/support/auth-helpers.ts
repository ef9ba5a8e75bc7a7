import * as authRoutes from "../../src/routes/auth/auth.routes.ts";
import type { TestApp } from "./test-app.ts";

export interface SignedUpUser {
  id: string;
  email: string;
  password: string;
  name: string;
  accessToken: string;
  refreshToken: string;
}

export interface SignUpOverrides {
  email?: string;
  password?: string;
  name?: string;
}

/** `{ authorization: "Bearer <token>" }`, to spread into a request's headers. */
export function authHeader(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A documentation-range address (RFC 5737), so per-IP limits do not add up across tests. */
export function randomIp(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint8Array(2));
  return `192.0.${a}.${b}`;
}

/**
 * Signs `users` in again with their refresh tokens (access tokens live 15 minutes: after moving a
 * test's clock, they have run out), updating each user's tokens in place.
 */
export async function renewTokens(t: TestApp, ...users: SignedUpUser[]): Promise<void> {
  for (const user of users) {
    const answer = await t.call(authRoutes.refresh, {
      body: { refreshToken: user.refreshToken },
      ip: randomIp(),
    });
    if (answer.status !== 200)
      throw new Error(`renewTokens: refresh answered ${answer.status}: ${answer.text}`);
    Object.assign(user, answer.body);
  }
}

/**
 * Registers a new account and signs it in, through the HTTP API (POST /v1/auth/register, then
 * /v1/auth/login). E-mail and name are unique unless overridden. Throws with the response body
 * when either step does not succeed.
 *
 * Each sign-up comes from its own random client IP (X-Forwarded-For, which the test app trusts),
 * so per-IP rate limits do not add up across tests; the per-e-mail login limit still counts.
 */
export async function signUp(t: TestApp, overrides: SignUpOverrides = {}): Promise<SignedUpUser> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const email = overrides.email ?? `user-${suffix}@example.com`;
  const password = overrides.password ?? `correct horse ${suffix}`;
  const name = overrides.name ?? `User ${suffix}`;

  const ip = randomIp();
  const registered = await t.call(authRoutes.register, { body: { email, password, name }, ip });
  if (registered.status !== 201) {
    throw new Error(`signUp: register answered ${registered.status}: ${registered.text}`);
  }
  const loggedIn = await t.call(authRoutes.login, { body: { email, password }, ip });
  if (loggedIn.status !== 200) {
    throw new Error(`signUp: login answered ${loggedIn.status}: ${loggedIn.text}`);
  }
  const { accessToken, refreshToken } = loggedIn.body;
  return { id: registered.body.id, email, password, name, accessToken, refreshToken };
}
