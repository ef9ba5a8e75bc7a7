import { z } from "@hono/zod-openapi";
import { AppError, type ErrorCode, errorStatus, type FieldError } from "../domain/errors.ts";

const titles: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "Validation failed",
  MALFORMED_REQUEST: "Malformed request",
  INVALID_SIGNATURE: "Invalid signature",
  UNAUTHENTICATED: "Authentication required",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  METHOD_NOT_ALLOWED: "Method not allowed",
  CONFLICT: "Conflict",
  BOOKING_CONFLICT: "Booking conflict",
  DATES_UNAVAILABLE: "Dates not available",
  INVALID_STATE: "Not possible in the current state",
  PAYMENT_FAILED: "Payment provider refused",
  PRECONDITION_FAILED: "Precondition failed",
  PAYLOAD_TOO_LARGE: "Payload too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  IDEMPOTENCY_MISMATCH: "Idempotency key reused with a different request",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal server error",
  BAD_ENVIRONMENT: "Server misconfigured",
  SERVICE_UNAVAILABLE: "Service unavailable",
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: "https://stayedge.dev/problems/validation-failed" }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "The request has 1 invalid field." }),
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]).openapi({
      description: `Stable: switch on it, not on \`title\` or \`detail\`.\n\n${Object.entries(titles)
        .map(([code, title]) => `- \`${code}\` (${errorStatus[code as ErrorCode]}): ${title}`)
        .join("\n")}`,
    }),
    requestId: z.string().openapi({ example: "req_01J9Z3Q4W8X7KZ4Q2V6N5M1B0C" }),
    errors: z
      .array(
        z.object({
          location: z.string().openapi({ example: "body.email" }),
          message: z.string().openapi({ example: "Invalid email address" }),
        }),
      )
      .optional(),
  })
  .openapi("Problem", {
    description:
      "An RFC 9457 problem: every error answer, with a stable `code` and, for invalid input, each field's location and message.",
  });

export type Problem = z.infer<typeof problemSchema>;

/**
 * The problem document of an error. `locate` says where in the request a field the domain named
 * was sent (`maxNights` → `body.maxNights`); errors from validation know it already.
 */
export function toProblem(
  error: AppError,
  requestId: string,
  locate: (field: string) => string = (field) => field,
): Problem {
  const problem: Problem = {
    type: `https://stayedge.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: titles[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId,
  };
  if (error.errors) {
    problem.errors = error.errors.map((e) => ({
      location: e.location ?? locate(e.field),
      message: e.message,
    }));
  }
  return problem;
}

export function problemResponse(
  error: AppError,
  requestId: string,
  locate?: (field: string) => string,
): Response {
  // RFC 9110: a 401 names the scheme that would work.
  const challenge: Record<string, string> =
    error.status === 401 ? { "WWW-Authenticate": 'Bearer realm="stayedge"' } : {};
  return new Response(JSON.stringify(toProblem(error, requestId, locate)), {
    status: error.status,
    headers: { ...challenge, ...error.headers, "content-type": PROBLEM_CONTENT_TYPE },
  });
}

/** What a problem example says for each code it shows: the code's detail, and for 400 its fields. */
export type ProblemExamples = Partial<Record<ErrorCode, string | { detail: string; errors: FieldError[] }>>;

/**
 * The problem+json content of an error answer, with one example per code it may carry, each the
 * document `toProblem` would write for it.
 */
function problemContent(examples: ProblemExamples) {
  const named = Object.entries(examples).map(([code, example]) => {
    const { detail, errors } = typeof example === "string" ? { detail: example, errors: undefined } : example;
    const error = new AppError(code as ErrorCode, detail, errors ? { errors } : {});
    return [code, { summary: titles[error.code], value: toProblem(error, "req_01J9Z3Q4W8X7KZ4Q2V6N5M1B0C") }];
  });
  return { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema, examples: Object.fromEntries(named) } };
}

const invalidEmail = { field: "email", location: "body.email", message: "Invalid email address" };

/** OpenAPI error responses every route spreads into its `responses`. */
export const errorResponses = {
  400: {
    description: "Invalid input",
    content: problemContent({
      VALIDATION_FAILED: { detail: "The request has 1 invalid field.", errors: [invalidEmail] },
      MALFORMED_REQUEST: "Malformed JSON in request body",
    }),
  },
  413: {
    description: "Body too large",
    content: problemContent({ PAYLOAD_TOO_LARGE: "The request body exceeds 65536 bytes." }),
  },
  415: {
    description: "Body is not JSON",
    content: problemContent({ UNSUPPORTED_MEDIA_TYPE: "Send the request body as application/json." }),
  },
  429: {
    description: "Rate limited",
    content: problemContent({ RATE_LIMITED: "Too many attempts. Try again in 42 seconds." }),
  },
  500: {
    description: "Unexpected error",
    content: problemContent({
      INTERNAL: "Something went wrong on our side. Quote the request id if you report it.",
    }),
  },
  503: {
    description: "A dependency (the database, Stripe) is down; retry after `Retry-After`",
    content: problemContent({
      SERVICE_UNAVAILABLE: "A service we depend on is not answering. Retry shortly.",
    }),
  },
} as const;

/** An error answer of one route, with an example for each code it may carry. */
export const problemResponseFor = (description: string, examples: ProblemExamples) => ({
  description,
  content: problemContent(examples),
});

/** Responses of routes that need a signed-in caller. */
export const authResponses = {
  401: problemResponseFor("Missing, invalid or expired access token", {
    UNAUTHENTICATED: "The access token is invalid or expired.",
  }),
  403: problemResponseFor("Signed in, but not allowed", { FORBIDDEN: "Only administrators may do this." }),
} as const;
