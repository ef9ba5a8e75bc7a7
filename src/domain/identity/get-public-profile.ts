import type { DomainContext } from "../context.ts";
import { findUser, userNotFound } from "./find-user.ts";
import { type PublicProfile, publicProfile } from "./user-views.ts";

export async function getPublicProfile({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<PublicProfile> {
  const user = await findUser(ctx.db, input.id);
  if (!user) throw userNotFound();
  return publicProfile(user);
}
