import { describe, expect, it } from "vitest";
import { EMAIL_HIDDEN, maskContactDetails, PHONE_HIDDEN } from "../../src/domain/messages/contact-details.ts";

/** What the other side sees of `text` before a confirmed stay. */
const shown = (text: string) => maskContactDetails(text).text;

describe("maskContactDetails: e-mail addresses", () => {
  it.each([
    ["jane@example.com"],
    ["Jane.Doe+stay@mail.example.co.uk"],
    ["j_doe-99@sub-domain.example.travel"],
    ["jane @ example.com"],
    ["jane＠example.com"],
    ["jane(at)example(dot)com"],
    ["jane [at] example [dot] com"],
    ["jane {at} example.com"],
    ["jane at example dot com"],
    ["jane dot doe at example dot co dot uk"],
    ["JANE@EXAMPLE.COM"],
    ["zoé@exemple.fr"],
  ])("hides %s", (address) => {
    expect(shown(`Write to ${address} please`)).toBe(`Write to ${EMAIL_HIDDEN} please`);
    expect(maskContactDetails(address).masked).toBe(true);
  });

  it("hides every address of a message, and keeps the punctuation around them", () => {
    expect(shown("Mine: a@b.io, hers: c@d.io.")).toBe(`Mine: ${EMAIL_HIDDEN}, hers: ${EMAIL_HIDDEN}.`);
  });

  it.each([
    ["a handle", "I'm @jane on the app"],
    ["a host without a top-level domain", "me@home is where I'll be"],
    ["an 'at' in a sentence", "We arrive at noon, then go out at night."],
    ["'at' and 'dot' apart", "Meet at the station. The dot on the map is us."],
    ["a price per night", "That's 90€ @ 3 nights"],
  ])("leaves %s alone", (_, text) => {
    expect(maskContactDetails(text)).toEqual({ text, masked: false });
  });
});

describe("maskContactDetails: phone numbers", () => {
  it.each([
    ["+33 6 12 34 56 78"],
    ["+33612345678"],
    ["06 12 34 56 78"],
    ["06.12.34.56.78"],
    ["06-12-34-56-78"],
    ["0612345678"],
    ["+1 (415) 555-2671"],
    ["(415) 555-2671"],
    ["415.555.2671"],
    ["415-555-2671"],
    ["555-1234"],
    ["+44 20 7946 0958"],
    ["+44 (0)20 7946 0958"],
    ["0044 20 7946 0958"],
    ["+49 30 1234567"],
    ["+49.30.1234567"],
    ["+81-3-1234-5678"],
    ["+91 98765 43210"],
    ["+55 (11) 91234-5678"],
    ["(+351) 912 345 678"],
    ["+351\u00a0912\u00a0345\u00a0678"],
    ["0 6 1 2 3 4 5 6 7 8"],
  ])("hides %s", (number) => {
    expect(shown(`Call me on ${number} tonight`)).toBe(`Call me on ${PHONE_HIDDEN} tonight`);
    expect(shown(`${number}.`)).toBe(`${PHONE_HIDDEN}.`);
  });

  it("hides a number in parentheses or followed by a comma, keeping them", () => {
    expect(shown("(mobile: 06 12 34 56 78), thanks")).toBe(`(mobile: ${PHONE_HIDDEN}), thanks`);
    expect(shown("call 0612345678, or text")).toBe(`call ${PHONE_HIDDEN}, or text`);
  });

  it("hides both an e-mail address and a phone number in one message", () => {
    expect(maskContactDetails("jane@example.com / +33 6 12 34 56 78")).toEqual({
      text: `${EMAIL_HIDDEN} / ${PHONE_HIDDEN}`,
      masked: true,
    });
  });

  it.each([
    ["an ISO date", "We arrive 2027-03-15 and leave 2027-03-20."],
    ["a European date", "Arrival 15.03.2027, departure 20.03.2027"],
    ["a date with dashes", "From 15-03-2027 to 20-03-2027"],
    ["a date with slashes", "From 15/03/2027 to 20/03/2027, or 03/15/2027"],
    ["a range of dates", "Free 15.03. - 20.03. and 2027.03.15-2027.03.20"],
    ["a range of years", "Renovated 2019-2020, repainted 2024 – 2025"],
    ["a range of times", "Check-in 15.00-20.00, quiet 22:00-08:00"],
    ["a short number", "Door code 4821, flat 12, floor 3"],
    ["numbers apart", "2 adults, 3 children and 1 dog, 4 nights"],
    ["a price with a symbol", "It comes to €1 250 000 or 1 250 000 € or $1,250,000.00"],
    ["a price with a code", "Total EUR 1250000, or 1250000 EUR, or 1.250.000,00 CHF"],
    ["a price in words", "1 250 000 euros for the house"],
    ["a decimal amount", "1.234.567,50 a year"],
    ["a booking id", "My booking is 019b0a11-3c4d-7e5f-8a6b-7c8d9e0f1a2b"],
    ["an all-digit UUID", "Ref 12345678-1234-1234-1234-123456789012"],
    ["a code with letters", "Code HMX4829183, flight AF1234567, ref 1234567AB"],
    ["a very long number", "Card 1234 5678 9012 3456 7890"],
    ["a time", "Landing at 14:30 on 15.03"],
    ["a percentage", "A 1 500 000 % increase"],
  ])("leaves %s alone", (_, text) => {
    expect(maskContactDetails(text)).toEqual({ text, masked: false });
  });

  it("takes a bare run of seven or more digits for a phone number", () => {
    expect(shown("Text 5551234")).toBe(`Text ${PHONE_HIDDEN}`);
    expect(shown("Text 555123")).toBe("Text 555123");
  });

  it("does not take a word before a number for a currency code", () => {
    expect(shown("CALL 0612345678")).toBe(`CALL ${PHONE_HIDDEN}`);
  });
});

describe("maskContactDetails", () => {
  it("leaves a message without contact details exactly as written", () => {
    const text = "  Hello! 👋🏽 Is the flat free in March?\n\nThanks  ";
    expect(maskContactDetails(text)).toEqual({ text, masked: false });
  });
});
