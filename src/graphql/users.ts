import { userNotFound } from "../domain/identity/find-user.ts";
import { getMe } from "../domain/identity/get-me.ts";
import { getPublicProfile } from "../domain/identity/get-public-profile.ts";
import { getPublicProfiles } from "../domain/identity/get-public-profiles.ts";
import * as routes from "../routes/users/users.routes.ts";
import { privateUserSchema, publicProfileSchema } from "../routes/users/users.schemas.ts";
import { restInput } from "./args.ts";
import { inKeyOrder } from "./batch.ts";
import { builder } from "./builder.ts";
import { zodFields, zodObject } from "./zod-types.ts";

// The users' schemas describe themselves through `.openapi()`, which zod's registry does not see.
export const User = zodObject(privateUserSchema, {
  name: "User",
  description: "An account as its owner (or an admin) sees it. Only `me` answers one.",
});

/** Anyone's public profile, read in one batch for all the hosts, guests and authors of a query. */
export const PublicProfile = builder.loadableObjectRef("PublicProfile", {
  load: async (ids: string[], { domain }) => {
    const profiles = await getPublicProfiles({ ctx: domain, input: { ids } });
    return inKeyOrder(
      ids,
      profiles.map((profile) => [profile.id, profile]),
      userNotFound,
    );
  },
});

PublicProfile.implement({
  description: "What anyone may see of a user: no e-mail, no phone.",
  // `reviews` is a connection (reviews.ts): the profile's summaries become its `summary`.
  fields: (t) => zodFields(t, publicProfileSchema.omit({ reviews: true }), "PublicProfile"),
});

builder.queryFields((t) => ({
  me: t.field({
    type: User,
    nullable: true,
    description: "Your account, with your e-mail and phone. Needs a token.",
    resolve: (_root, _args, { domain }) => getMe({ ctx: domain, input: {} }),
  }),
  user: t.field({
    type: PublicProfile,
    nullable: true,
    description: "A user's public profile.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, { domain }) =>
      getPublicProfile({ ctx: domain, input: restInput(routes.getUser.request.params, args) }),
  }),
}));
