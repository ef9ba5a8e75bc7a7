import { builder } from "./builder.ts";
import "./users.ts";
import "./listings.ts";
import "./reviews.ts";
import "./bookings.ts";
import "./payments.ts";

/** The GraphQL schema: types in one file per family, registered on the one builder by importing them. */
export const schema = builder.toSchema({ sortSchema: true });
