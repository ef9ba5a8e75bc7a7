import { nameBasedId } from "../notifications/mail-id.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id a job runs under, a UUID on every engine (pg-boss wants one; admins name a job by it):
 * its own when it is one (outbox ids are), a UUID named by it when it is not (the same on every
 * delivery, so a repeat is still recognised), a new one when it has none.
 */
export async function jobIdOf(id: string | undefined): Promise<string> {
  if (id === undefined) return crypto.randomUUID();
  if (UUID.test(id)) return id.toLowerCase();
  return nameBasedId(`job:${id}`);
}
