import { createRouter } from "../../http/router.ts";
import * as handlers from "./listings.handlers.ts";
import * as routes from "./listings.routes.ts";

export const listingsRoutes = createRouter()
  .openapi(routes.searchListings, handlers.searchListingsHandler)
  .openapi(routes.createListing, handlers.createListingHandler)
  .openapi(routes.getListing, handlers.getListingHandler)
  .openapi(routes.updateListing, handlers.updateListingHandler)
  .openapi(routes.deleteListing, handlers.deleteListingHandler)
  .openapi(routes.listMine, handlers.listMineHandler);
