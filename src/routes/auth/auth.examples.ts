import type { z } from "@hono/zod-openapi";
import type { tokenPairSchema } from "./auth.routes.ts";

/**
 * The reference's tokens: Alice's (`exampleIds.guest`) session. The access tokens are JWTs in form
 * only: their signature is the base64url of "example-signature-not-a-real-one!", and no server
 * accepts them.
 */

type TokenPair = z.output<typeof tokenPairSchema>;

/** What `auth.login` answers Alice; the refresh token is the one the `auth.refresh` example sends. */
export const tokenPairExample: TokenPair = {
  accessToken:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdGF5ZWRnZSIsInN1YiI6IjAxOWFkNmY1LTFiMmMtN2QzZS04ZjQwLTVhNmI3YzhkOWUwZiIsInNpZCI6IjAxOWM3YTJlLTVmMTAtN2IzYS05ZTIxLTZjNGQ4YTBmMWIyZSIsImlhdCI6MTgwMzExNDAwMCwiZXhwIjoxODAzMTE0OTAwfQ.ZXhhbXBsZS1zaWduYXR1cmUtbm90LWEtcmVhbC1vbmUh",
  refreshToken: "kq0a8u1Pq3Zb2mT9x7wV5yR4sN6cL1dE8fG3hJ2kM0o",
  tokenType: "Bearer",
  expiresIn: 900,
};

/** What `auth.refresh` answers for that refresh token: a new pair of the same session. */
export const refreshedTokenPairExample: TokenPair = {
  accessToken:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdGF5ZWRnZSIsInN1YiI6IjAxOWFkNmY1LTFiMmMtN2QzZS04ZjQwLTVhNmI3YzhkOWUwZiIsInNpZCI6IjAxOWM3YTJlLTVmMTAtN2IzYS05ZTIxLTZjNGQ4YTBmMWIyZSIsImlhdCI6MTgwMzExNDg0MCwiZXhwIjoxODAzMTE1NzQwfQ.ZXhhbXBsZS1zaWduYXR1cmUtbm90LWEtcmVhbC1vbmUh",
  refreshToken: "Xw4nR7pL2vQ9sT1kM6yB3cF8dH5jZ0gA2eU7iO4rN1x",
  tokenType: "Bearer",
  expiresIn: 900,
};

/** What `auth.requestPasswordReset` answers, whether or not the e-mail has an account. */
export const passwordResetAcceptedExample = {
  message: "If an account uses this e-mail, a reset link is on its way.",
};
