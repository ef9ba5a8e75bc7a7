import { describe, expect, it } from "vitest";
import {
  checkFeedUrl,
  checkResolvedTarget,
  type Resolve,
} from "../../src/domain/calendar-sync/feed-target.ts";
import { isPublicAddress, parseIpv4, parseIpv6 } from "../../src/domain/calendar-sync/ip-address.ts";

const refusal = (url: string) => {
  const checked = checkFeedUrl(url);
  return checked.ok ? undefined : checked.problem;
};

describe("isPublicAddress", () => {
  it.each([
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.255",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "[::1]",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:8.8.8.8",
    "::127.0.0.1",
    "64:ff9b::a00:1",
    "100::1",
    "fe80::1",
    "febf::1",
    "fec0::1",
    "fc00::1",
    "fd12:3456:789a::1",
    "ff02::1",
    "2001:db8::1",
    "2001::1",
    "2002:7f00:1::",
    "3fff::1",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "169.253.255.255",
    "11.0.0.0",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4007:80e::200e",
    "[2606:2800:21f:cb07:6820:80da:af6b:8b2c]",
    "2001:4860:4860::8888",
  ])("accepts %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    "",
    "localhost",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "01.2.3.4",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "::g",
    "12345::",
  ])("refuses %j, which is not an address", (text) => {
    expect(isPublicAddress(text)).toBe(false);
  });

  it("reads IPv6 with :: anywhere and an IPv4 tail", () => {
    expect(parseIpv6("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6("1::")).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIpv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6("1:2:3:4:5:6:7")).toBeUndefined();
    expect(parseIpv4("1.2.3.4")).toEqual([1, 2, 3, 4]);
  });
});

describe("checkFeedUrl", () => {
  it("accepts an https URL on a public name, and drops its fragment", () => {
    const checked = checkFeedUrl("https://www.airbnb.com/calendar/ical/123.ics?s=abc#top");
    expect(checked).toEqual({ ok: true, url: new URL("https://www.airbnb.com/calendar/ical/123.ics?s=abc") });
  });

  it("reads webcal:// as https://, as calendar apps do", () => {
    const checked = checkFeedUrl("webcal://p01-caldav.icloud.com/published/2/abc");
    expect(checked.ok && checked.url.href).toBe("https://p01-caldav.icloud.com/published/2/abc");
  });

  it.each([
    ["http://calendar.example.com/feed.ics", "Must be an https:// URL"],
    ["file:///etc/passwd", "Must be an https:// URL"],
    ["data:text/calendar,BEGIN:VCALENDAR", "Must be an https:// URL"],
    ["ftp://calendar.example.com/feed.ics", "Must be an https:// URL"],
    ["javascript:alert(1)", "Must be an https:// URL"],
    ["gopher://calendar.example.com/", "Must be an https:// URL"],
    ["not a url", "Must be a URL"],
    ["https://user:pass@calendar.example.com/feed.ics", "Must not carry a user name or password"],
  ])("refuses %s", (url, problem) => {
    expect(refusal(url)).toBe(problem);
  });

  it.each([
    "https://127.0.0.1/feed.ics",
    "https://2130706433/feed.ics",
    "https://0x7f000001/feed.ics",
    "https://0x7f.1/feed.ics",
    "https://0177.0.0.1/feed.ics",
    "https://127.1/feed.ics",
    "https://017700000001/feed.ics",
    "https://0/feed.ics",
    "https://0.0.0.0/feed.ics",
    "https://10.1.2.3/feed.ics",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/feed.ics",
    "https://192.168.0.1:8443/feed.ics",
    "https://[::1]/feed.ics",
    "https://[::]/feed.ics",
    "https://[::ffff:127.0.0.1]/feed.ics",
    "https://[::ffff:169.254.169.254]/feed.ics",
    "https://[fe80::1]/feed.ics",
    "https://[fc00::1]/feed.ics",
    "https://[fd00:ec2::254]/feed.ics",
    "https://[ff02::1]/feed.ics",
    "https://224.0.0.1/feed.ics",
  ])("refuses the address in %s, in whatever form it is written", (url) => {
    expect(refusal(url)).toBe("Names an address that is not on the public internet");
  });

  it.each([
    "https://localhost/feed.ics",
    "https://LOCALHOST/feed.ics",
    "https://localhost./feed.ics",
    "https://localhost../feed.ics",
    "https://api.localhost/feed.ics",
    "https://printer.local/feed.ics",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://METADATA.GOOGLE.INTERNAL./",
    "https://nas.home.arpa/feed.ics",
    "https://1.0.0.127.in-addr.arpa/feed.ics",
    "https://router.lan/feed.ics",
    "https://ｌｏｃａｌｈｏｓｔ/feed.ics",
    "https://calendar.test/feed.ics",
  ])("refuses the private name in %s", (url) => {
    expect(refusal(url)).toBe("Names a host that is not on the public internet");
  });

  it("refuses a name without a dot (one that only a local resolver knows)", () => {
    expect(refusal("https://fileserver/feed.ics")).toMatch(/with a dot/);
  });

  it("accepts public IP literals, trailing dots, upper case and internationalised names", () => {
    expect(refusal("https://93.184.215.14/feed.ics")).toBeUndefined();
    expect(refusal("https://[2606:4700:4700::1111]/feed.ics")).toBeUndefined();
    expect(refusal("https://CALENDAR.Example.COM./feed.ics")).toBeUndefined();
    const idn = checkFeedUrl("https://kalender.bücher.de/feed.ics");
    expect(idn.ok && idn.url.hostname).toBe("kalender.xn--bcher-kva.de");
  });

  it("refuses a URL longer than 2048 characters", () => {
    expect(refusal(`https://calendar.example.com/${"a".repeat(2048)}`)).toMatch(/at most 2048/);
  });
});

describe("checkResolvedTarget", () => {
  const resolving =
    (answers: Record<string, string[] | undefined>): Resolve =>
    async (host) => {
      if (!(host in answers)) throw new Error(`ENOTFOUND ${host}`);
      return answers[host];
    };
  const url = (text: string) => new URL(text);

  it("accepts a name whose every address is public", async () => {
    const resolve = resolving({ "cal.example.com": ["93.184.215.14", "2606:2800:21f:cb07::1"] });
    expect(await checkResolvedTarget(url("https://cal.example.com/x"), resolve)).toBeUndefined();
  });

  it("refuses a name with one private address among public ones, without saying which", async () => {
    const resolve = resolving({ "cal.example.com": ["93.184.215.14", "10.0.0.5"] });
    const problem = await checkResolvedTarget(url("https://cal.example.com/x"), resolve);
    expect(problem).toEqual({
      problem: "cal.example.com resolves to an address that is not on the public internet",
      unresolved: false,
    });
    expect(problem?.problem).not.toContain("10.0.0.5");
  });

  it.each([
    "127.0.0.1",
    "::1",
    "::ffff:127.0.0.1",
    "169.254.169.254",
    "fe80::1",
    "fc00::1",
    "100.64.0.1",
    "0.0.0.0",
  ])("refuses a name that resolves to %s", async (address) => {
    const resolve = resolving({ "rebind.example.com": [address] });
    const problem = await checkResolvedTarget(url("https://rebind.example.com./x"), resolve);
    expect(problem?.unresolved).toBe(false);
  });

  it("says when the name does not resolve", async () => {
    expect(await checkResolvedTarget(url("https://nowhere.example.com/x"), resolving({}))).toEqual({
      problem: "nowhere.example.com could not be resolved",
      unresolved: true,
    });
    const empty = resolving({ "empty.example.com": [] });
    expect((await checkResolvedTarget(url("https://empty.example.com/x"), empty))?.unresolved).toBe(true);
  });

  it("gives up on a name that takes too long to resolve", async () => {
    const never: Resolve = () => new Promise(() => {});
    expect(await checkResolvedTarget(url("https://slow.example.com/x"), never, 20)).toEqual({
      problem: "slow.example.com could not be resolved",
      unresolved: true,
    });
  });

  it("leaves the check to the URL where names cannot be resolved (Workers)", async () => {
    expect(
      await checkResolvedTarget(url("https://cal.example.com/x"), async () => undefined),
    ).toBeUndefined();
  });

  it("does not resolve IP literals", async () => {
    const resolve: Resolve = async () => {
      throw new Error("must not be called");
    };
    expect(await checkResolvedTarget(url("https://93.184.215.14/x"), resolve)).toBeUndefined();
  });
});
