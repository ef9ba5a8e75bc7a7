import type { MailMessage } from "../../../ports.ts";

/**
 * One e-mail as plain facts: every string in it is plain text (names, titles and messages as
 * people wrote them). `renderMail` makes the text and the HTML part from it; it alone writes HTML,
 * and it escapes everything it is given, so nothing a user wrote can become markup.
 */
export interface MailDocument {
  subject: string;
  /** "Hello Ana," */
  greeting: string;
  paragraphs: string[];
  /** The facts of a stay, label and value. */
  details?: Array<{ label: string; value: string }> | undefined;
  /** Messages quoted, oldest first. */
  quotes?: Array<{ from: string; at?: string | undefined; text: string }> | undefined;
  action?: { label: string; url: string } | undefined;
}

const SUBJECT_MAX_CHARS = 150;
const FOOTER = "You receive this e-mail because of your account at stayedge.";

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/** Escaped, line breaks kept. */
const block = (text: string) => escapeHtml(text).replace(/\r?\n/g, "<br>");

/**
 * A subject is one header line: no line breaks or other control characters (whatever a title
 * holds: CR, LF, NEL, U+2028), and not endless.
 */
export function oneLine(text: string): string {
  const flat = text.replace(/[\s\p{Cc}]+/gu, " ").trim();
  const chars = [...flat];
  return chars.length > SUBJECT_MAX_CHARS ? `${chars.slice(0, SUBJECT_MAX_CHARS - 1).join("")}…` : flat;
}

/** Only web links go into a mail; anything else (`javascript:`) is refused before it is sent. */
function webLink(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(`a mail links to web pages only, not ${parsed.protocol}`);
  }
  return parsed.href;
}

function renderText(mail: MailDocument): string {
  const parts = [mail.greeting, ...mail.paragraphs];
  if (mail.details?.length) {
    const width = Math.max(...mail.details.map((row) => row.label.length)) + 1;
    parts.push(mail.details.map((row) => `  ${`${row.label}:`.padEnd(width)} ${row.value}`).join("\n"));
  }
  for (const quote of mail.quotes ?? []) {
    const lines = quote.text.split(/\r?\n/).map((line) => `> ${line}`);
    parts.push([`${quote.from}${quote.at ? `, ${quote.at}` : ""}:`, ...lines].join("\n"));
  }
  if (mail.action) parts.push(`${mail.action.label}: ${webLink(mail.action.url)}`);
  parts.push(`-- \n${FOOTER}`);
  return `${parts.join("\n\n")}\n`;
}

const styles = {
  body: "margin:0;padding:24px;background:#f6f6f6;font-family:Helvetica,Arial,sans-serif;color:#222;",
  card: "max-width:560px;margin:0 auto;padding:24px;background:#fff;border-radius:8px;",
  label: "padding:4px 16px 4px 0;color:#666;vertical-align:top;",
  quote: "margin:12px 0;padding:8px 12px;border-left:3px solid #ddd;color:#333;",
  button:
    "display:inline-block;padding:10px 18px;background:#e0565b;color:#fff;text-decoration:none;border-radius:6px;",
  footer: "margin-top:24px;font-size:12px;color:#888;",
};

function renderHtml(mail: MailDocument): string {
  const out: string[] = [`<p>${block(mail.greeting)}</p>`];
  for (const paragraph of mail.paragraphs) out.push(`<p>${block(paragraph)}</p>`);
  if (mail.details?.length) {
    const rows = mail.details.map(
      (row) => `<tr><td style="${styles.label}">${block(row.label)}</td><td>${block(row.value)}</td></tr>`,
    );
    out.push(`<table role="presentation" cellspacing="0" cellpadding="0">${rows.join("")}</table>`);
  }
  for (const quote of mail.quotes ?? []) {
    out.push(
      `<div style="${styles.quote}"><strong>${block(quote.from)}</strong>${quote.at ? `, ${block(quote.at)}` : ""}<br>${block(quote.text)}</div>`,
    );
  }
  if (mail.action) {
    out.push(
      `<p><a href="${escapeHtml(webLink(mail.action.url))}" style="${styles.button}">${block(mail.action.label)}</a></p>`,
    );
  }
  out.push(`<p style="${styles.footer}">${block(FOOTER)}</p>`);
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(oneLine(mail.subject))}</title></head>`,
    `<body style="${styles.body}"><div style="${styles.card}">${out.join("\n")}</div></body></html>`,
  ].join("\n");
}

/** The e-mail to `to`: its subject, its plain-text part and its HTML part, from one document. */
export function renderMail(to: string, mail: MailDocument): MailMessage {
  return { to, subject: oneLine(mail.subject), text: renderText(mail), html: renderHtml(mail) };
}
