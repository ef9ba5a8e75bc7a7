import type { DomainContext } from "../context.ts";
import { requireActor } from "./authenticate.ts";
import { accountGone, findUser } from "./find-user.ts";
import { type PrivateUser, privateUser } from "./user-views.ts";

export async function getMe({
  ctx,
}: {
  ctx: DomainContext;
  input: Record<string, never>;
}): Promise<PrivateUser> {
  const actor = requireActor(ctx);
  const user = await findUser(ctx.db, actor.userId);
  if (!user) throw accountGone();
  return privateUser(user);
}
