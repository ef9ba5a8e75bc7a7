/**
 * IP addresses as text, and whether one is a public internet address a server may fetch from.
 * Only the canonical forms are read: dotted-quad IPv4 (what resolvers answer, and what the WHATWG
 * URL parser makes of `2130706433`, `0x7f.1` or `0177.0.0.1`) and RFC 4291 IPv6 text.
 */

/** The four bytes of a dotted-quad IPv4 address, or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((part) => (/^(?:0|[1-9]\d{0,2})$/.test(part) ? Number(part) : Number.NaN));
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail allowed), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  if (!/^[\da-f:.]+$/i.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === "") return [];
    const words: number[] = [];
    const pieces = half.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        const [a = 0, b = 0, c = 0, d = 0] = v4;
        words.push((a << 8) | b, (c << 8) | d);
      } else if (/^[\da-f]{1,4}$/i.test(piece)) {
        words.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groupsOf(halves[0] ?? "");
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? "") : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

/** IPv4 ranges that are not the public internet: [first address, prefix length]. */
const IPV4_NOT_PUBLIC: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8], // "this network", 0.0.0.0 included
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relays
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

const toUint32 = (bytes: number[]) => bytes.reduce((n, byte) => n * 256 + byte, 0);

function inIpv4Range(address: number, [first, bits]: readonly [string, number]): boolean {
  const size = 2 ** (32 - bits);
  const start = toUint32(parseIpv4(first) ?? []);
  return address >= start && address < start + size;
}

/**
 * IPv6 ranges inside global unicast (2000::/3) that are not the public internet, as
 * [leading groups, prefix length]. Everything outside 2000::/3 is refused anyway: unspecified,
 * loopback, IPv4-mapped and -compatible, NAT64, discard, unique-local (fc00::/7), link-local
 * (fe80::/10), site-local and multicast.
 */
const IPV6_NOT_PUBLIC: ReadonlyArray<readonly [number[], number]> = [
  [[0x2001, 0x0000], 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID
  [[0x2001, 0x0db8], 32], // documentation
  [[0x2002], 16], // 6to4: reaches an IPv4 address of its own choosing
  [[0x3fff, 0x0000], 20], // documentation (RFC 9637)
];

function inIpv6Range(groups: number[], [prefix, bits]: readonly [number[], number]): boolean {
  for (let bit = 0; bit < bits; bit += 16) {
    const width = Math.min(16, bits - bit);
    const mask = (0xffff << (16 - width)) & 0xffff;
    const index = bit / 16;
    if (((groups[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * Whether `address` (IPv4 or IPv6 text, brackets allowed) is a public unicast address. Anything
 * that is not an address, or not a public one, is not.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  const v4 = parseIpv4(bare);
  if (v4) {
    const n = toUint32(v4);
    return !IPV4_NOT_PUBLIC.some((range) => inIpv4Range(n, range));
  }
  const v6 = parseIpv6(bare);
  if (!v6) return false;
  const first = v6[0] ?? 0;
  if (first < 0x2000 || first > 0x3fff) return false;
  return !IPV6_NOT_PUBLIC.some((range) => inIpv6Range(v6, range));
}

/** Whether `host` (a URL's hostname) is an IP address rather than a name. */
export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== undefined || /^\[.*\]$/.test(host);
}
