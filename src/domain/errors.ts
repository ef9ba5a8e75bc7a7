/** The closed set of error codes clients may switch on. Each has exactly one HTTP status. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  INVALID_SIGNATURE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  BOOKING_CONFLICT: 409,
  DATES_UNAVAILABLE: 409,
  INVALID_STATE: 409,
  PAYMENT_FAILED: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_MISMATCH: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BAD_ENVIRONMENT: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

export interface FieldError {
  /** The input field in the domain's own terms: `maxNights`, `address.city`, `cursor`. */
  field: string;
  message: string;
  /**
   * Where the field was sent (`body.address.city`, `query.limit`). Only the HTTP layer knows and
   * sets it; for an error the domain raised, the HTTP layer works it out from the request.
   */
  location?: string;
}

/** The one error type of the application: domain code and middleware throw it, `onError` renders it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** A 400 for one input field that breaks a business rule (the schema checks the rest at the edge). */
export function invalidField(field: string, message: string, detail = message): AppError {
  return new AppError("VALIDATION_FAILED", detail, { errors: [{ field, message }] });
}
