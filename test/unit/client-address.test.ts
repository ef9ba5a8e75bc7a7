import { describe, expect, it } from "vitest";
import { forwardedAddress, socketAddress } from "../../src/node/deps.ts";

const peer = { incoming: { socket: { remoteAddress: "203.0.113.9" } } };
const request = (forwardedFor?: string) =>
  new Request(
    "http://localhost/",
    forwardedFor === undefined ? {} : { headers: { "x-forwarded-for": forwardedFor } },
  );

describe("the client address behind a proxy (TRUST_PROXY)", () => {
  it("is the address the proxy appended, not one the client wrote before it", () => {
    expect(forwardedAddress(request("6.6.6.6, 198.51.100.7"), peer)).toBe("198.51.100.7");
    expect(forwardedAddress(request("1.1.1.1,2.2.2.2 , 198.51.100.7 "), peer)).toBe("198.51.100.7");
  });

  it("is the one address a proxy that replaces the header wrote", () => {
    expect(forwardedAddress(request("198.51.100.7"), peer)).toBe("198.51.100.7");
  });

  it("falls back to the socket's peer when the header is missing or empty", () => {
    expect(forwardedAddress(request(), peer)).toBe("203.0.113.9");
    expect(forwardedAddress(request(" "), peer)).toBe("203.0.113.9");
    expect(socketAddress(request("198.51.100.7"), peer)).toBe("203.0.113.9");
    expect(socketAddress(request(), undefined)).toBe("unknown");
  });
});
