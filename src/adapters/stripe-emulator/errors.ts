/** Errors in Stripe's wire shape; the SDK picks its error class from the status and `type`. */
export interface StripeErrorBody {
  type: "invalid_request_error" | "card_error" | "api_error" | "idempotency_error";
  message: string;
  code?: string;
  param?: string;
  [detail: string]: unknown;
}

export class EmulatorError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;

  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

export const invalidRequest = (message: string, fields: { code?: string; param?: string } = {}) =>
  new EmulatorError(400, { type: "invalid_request_error", message, ...fields });

export const parameterMissing = (param: string) =>
  invalidRequest(`Missing required param: ${param}.`, { code: "parameter_missing", param });

/** An unknown id in the path is a 404; an unknown id given as a parameter is a 400 naming it. */
export const resourceMissing = (kind: string, id: string, param?: string) =>
  new EmulatorError(param ? 400 : 404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });

export const unexpectedState = (message: string) =>
  invalidRequest(message, { code: "payment_intent_unexpected_state" });

export const apiError = (status: number) =>
  new EmulatorError(status, {
    type: "api_error",
    message: "An unexpected error occurred (injected by the Stripe emulator).",
  });
