import type { Middleware } from "openapi-fetch";
import type { components } from "./schema.ts";

export type Problem = components["schemas"]["Problem"];
export type ProblemCode = Problem["code"];
export type FieldError = NonNullable<Problem["errors"]>[number];

/** An RFC 9457 `application/problem+json` answer: every call that gets one throws it. */
export class StayedgeProblem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly requestId: string;
  /** One entry per invalid field (`location` such as `body.checkOut`), for `VALIDATION_FAILED`. */
  readonly errors: readonly FieldError[];

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = "StayedgeProblem";
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
  }
}

const PROBLEM_JSON = /^application\/problem\+json\s*(;|$)/i;

/** The problem a response carries, if it is an unsuccessful `application/problem+json` one. */
export async function problemOf(response: Response): Promise<StayedgeProblem | undefined> {
  if (response.ok || !PROBLEM_JSON.test(response.headers.get("content-type") ?? "")) return undefined;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  return isProblem(body) ? new StayedgeProblem(body) : undefined;
}

function isProblem(body: unknown): body is Problem {
  const { status, code } = (body ?? {}) as Partial<Record<keyof Problem, unknown>>;
  return typeof status === "number" && typeof code === "string";
}

/** Throws the `StayedgeProblem` of a problem answer instead of handing it back as `error`. */
export const throwProblems: Middleware = {
  async onResponse({ response }) {
    const problem = await problemOf(response);
    if (problem) throw problem;
  },
};
