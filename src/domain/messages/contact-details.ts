/**
 * Hiding e-mail addresses and phone numbers in what a message shows, until a stay is confirmed
 * (Airbnb's rule: contact goes through the platform until then). Only what is shown is masked;
 * the stored text never changes. The rules lean towards masking what looks like contact details
 * (a bare run of 7+ digits is taken for a phone number), and away from masking what reads as a
 * date, a time, a price or a code with letters in it.
 */

export const EMAIL_HIDDEN = "[email hidden]";
export const PHONE_HIDDEN = "[phone number hidden]";

// "@" as written, full-width, or spelt out: "(at)", "[at]", "{at}"; "." likewise with "dot".
const AT = String.raw`(?:\s*[@＠]\s*|\s*[([{]\s*at\s*[)\]}]\s*)`;
const DOT = String.raw`(?:\.|\s*[([{]\s*dot\s*[)\]}]\s*)`;
const LOCAL = String.raw`[\p{L}\p{N}._%+\-]+`;
const LABEL = String.raw`[\p{L}\p{N}\-]+`;
const email = new RegExp(`${LOCAL}${AT}${LABEL}(?:${DOT}${LABEL})*${DOT}\\p{L}{2,}`, "giu");
/** "jane at example dot com": "at" and "dot" as words, only together (a lone " at " is English). */
const spelledEmail = new RegExp(
  String.raw`${LABEL}(?:\s+dot\s+${LABEL})*\s+at\s+${LABEL}(?:\s+dot\s+${LABEL})*\s+dot\s+\p{L}{2,}\b`,
  "giu",
);

/**
 * A run that may be a phone number: an optional `+` (or `(+`), then digits joined by spaces,
 * dashes, dots or parentheses. Not inside a word or code (`AB1234567`, a UUID's groups), and not
 * the integer part of a decimal (`1.234.567,50`).
 */
const phoneCandidate =
  /(?<![\p{L}\p{N}_]|[\p{L}\p{N}][-./:,])(?:\+|\(\+)?\(?\d(?:[\d\s().\-\u00a0]*\d)?(?![\p{L}\p{N}_]|[-./:,]\p{N}|[-.]\p{L})/gu;

const D = String.raw`(?:0?[1-9]|[12]\d|3[01])`;
const M = "(?:0?[1-9]|1[0-2])";
const Y = String.raw`(?:19|20)\d{2}`;
const TIME = String.raw`(?:[01]?\d|2[0-3])[.:]\d{2}`;
const DAY = String.raw`(?:${Y}[-.]${M}[-.]${D}|${D}[-.]${M}(?:[-.](?:${Y}|\d{2}))?\.?|${M}[-.]${D}[-.](?:${Y}|\d{2})|${Y}|${TIME})`;
/** A date, a year, a time, or a range of two (`15.03 - 20.03`, `2026-2027`, `10.30-12.00`). */
const dateOrRange = new RegExp(`^${DAY}(?:\\s*[-–]\\s*${DAY})?$`, "u");
const currencies = new Set(Intl.supportedValuesOf("currency"));
const symbolBefore = /[$€£¥₹₽₩₪₺¢]\s*$/u;
const codeBefore = /(?:^|[^\p{L}])(\p{Lu}{3})\s*$/u;
const symbolAfter = /^\s*(?:[$€£¥₹₽₩₪₺¢%]|(?:euros?|dollars?|pounds?)\b)/iu;
const codeAfter = /^\s*(\p{Lu}{3})(?!\p{L})/u;

/** A price: a currency symbol or ISO 4217 code right before or after the number. */
function isAmount(before: string, after: string): boolean {
  const code = codeBefore.exec(before)?.[1] ?? codeAfter.exec(after)?.[1];
  return symbolBefore.test(before) || symbolAfter.test(after) || (code !== undefined && currencies.has(code));
}

/** E.164 numbers have at most 15 digits; local numbers at least 7 (`555-1234`). */
function isPhoneNumber(candidate: string, before: string, after: string): boolean {
  const digits = candidate.replace(/\D/g, "").length;
  if (digits < 7 || digits > 15) return false;
  if (dateOrRange.test(candidate.replace(/[\s\u00a0]+/g, " ").trim())) return false;
  return !isAmount(before, after);
}

/** `text` as the other side may see it before a confirmed stay, and whether anything was hidden. */
export function maskContactDetails(text: string): { text: string; masked: boolean } {
  let masked = false;
  const hide = (replacement: string) => () => {
    masked = true;
    return replacement;
  };
  let shown = text.replace(email, hide(EMAIL_HIDDEN)).replace(spelledEmail, hide(EMAIL_HIDDEN));
  shown = shown.replace(phoneCandidate, (candidate, offset: number, whole: string) => {
    const before = whole.slice(Math.max(0, offset - 8), offset);
    const after = whole.slice(offset + candidate.length, offset + candidate.length + 8);
    if (!isPhoneNumber(candidate, before, after)) return candidate;
    masked = true;
    return PHONE_HIDDEN;
  });
  return { text: shown, masked };
}
