import type { FailedJob } from "../../domain/jobs/failed-job-schemas.ts";
import { exampleIds } from "../example-ids.ts";

/** The reference's failed-job examples: a password-reset e-mail the mail provider kept refusing. */

const resetMailJob = "019b0a12-7e41-7c3a-9b2d-5e6f7a8b9c0d";

/** Dead after its sixth attempt; the body of the e-mail (its reset link) is not shown. */
export const deadJobExample: FailedJob = {
  jobId: resetMailJob,
  topic: "mail.send",
  status: "dead",
  attempts: 6,
  lastError: "MailProviderError: https://api.mail.example/… answered 503 Service Unavailable",
  payload: { to: "camille@example.com", subject: "Reset your stayedge password", text: "[redacted]" },
  firstFailedAt: "2026-01-12T10:04:51.226Z",
  lastFailedAt: "2026-01-12T10:31:07.913Z",
  retriedAt: null,
  retriedBy: null,
  resolvedAt: null,
};

/** A booking change whose payment step is being retried. */
export const retryingJobExample: FailedJob = {
  jobId: "019b0a13-1f20-7d4b-8c3e-6f7a8b9c0d1e",
  topic: "booking.changed",
  status: "retrying",
  attempts: 2,
  lastError: "PaymentProviderError: The payment provider is not answering",
  payload: {
    bookingId: exampleIds.booking,
    listingId: exampleIds.listing,
    from: "pending_payment",
    to: "confirmed",
    at: "2026-01-12T10:30:02.114Z",
  },
  firstFailedAt: "2026-01-12T10:30:02.530Z",
  lastFailedAt: "2026-01-12T10:30:41.077Z",
  retriedAt: null,
  retriedBy: null,
  resolvedAt: null,
};

/**
 * A page of two failed jobs, the latest failure first; the cursor is that of the page's last job
 * (base64url of `{"c":"2026-01-12T10:30:41.077Z","i":"019b0a13-…"}`).
 */
export const failedJobPageExample: { items: FailedJob[]; nextCursor: string | null } = {
  items: [deadJobExample, retryingJobExample],
  nextCursor:
    "eyJjIjoiMjAyNi0wMS0xMlQxMDozMDo0MS4wNzdaIiwiaSI6IjAxOWIwYTEzLTFmMjAtN2Q0Yi04YzNlLTZmN2E4YjljMGQxZSJ9",
};

/** The dead e-mail, sent again by an admin. */
export const retriedJobExample: FailedJob = {
  ...deadJobExample,
  status: "retried",
  retriedAt: "2026-01-12T11:02:19.354Z",
  retriedBy: exampleIds.admin,
};
