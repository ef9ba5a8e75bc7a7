import type { Fixtures, Scenario } from "./scenarios.ts";

/**
 * A listing's page, as a client builds it: the listing, its host and its newest reviews. Through
 * GraphQL that is one query; through REST three requests (the listing, the host's profile, the
 * reviews). Both sides ask the app instance whose cache never hits, for the same listings in the
 * same order; the ratio is GraphQL pages per second over REST pages per second.
 */
export const GRAPHQL_PAGE = "page.graphql";

const REVIEWS = 5;

const query = `query ListingPage($id: ID!) {
  listing(id: $id) {
    id title description propertyType maxGuests bedrooms beds bathrooms amenities houseRules
    checkInTime checkOutTime nightlyPrice cleaningFee currency cancellationPolicy instantBook
    minNights status
    address { city country }
    location { lat lng }
    photos { url caption }
    rating { count average }
    host { id name avatarUrl bio memberSince isHost }
    reviews(first: ${REVIEWS}) {
      summary { count average }
      edges { node { id rating comment createdAt authorId reply { text at } } }
    }
  }
}`;

interface PageAnswer {
  data?: { listing?: { id?: string; host?: { id?: string } | null; reviews?: unknown } | null };
  errors?: unknown[];
}

export function graphqlPageScenario(fixtures: Fixtures): Scenario {
  const { ids, hostIds } = fixtures;
  return {
    name: GRAPHQL_PAGE,
    note: `a listing with its host and ${REVIEWS} newest reviews: 1 GraphQL query vs 3 REST GETs`,
    app: "uncached",
    baseline: "rest",
    paths: ids.map(() => "/graphql"),
    bodies: ids.map((id) => JSON.stringify({ query, variables: { id } })),
    rest: {
      perPage: 3,
      paths: ids.flatMap((id, i) => [
        `/v1/listings/${id}`,
        `/v1/users/${hostIds[i]}`,
        `/v1/listings/${id}/reviews?limit=${REVIEWS}`,
      ]),
    },
    verify: (_path, body, sent) => {
      const asked = sent ? (JSON.parse(sent) as { variables: { id: string } }).variables.id : "";
      const answer = JSON.parse(body) as PageAnswer;
      if (answer.errors) return `errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
      const listing = answer.data?.listing;
      if (!listing || listing.id !== asked) return `asked for ${asked}, got ${listing?.id}`;
      if (listing.host?.id !== hostIds[ids.indexOf(asked)]) return `listing ${asked} came without its host`;
      if (!listing.reviews) return `listing ${asked} came without its reviews`;
      return undefined;
    },
  };
}
