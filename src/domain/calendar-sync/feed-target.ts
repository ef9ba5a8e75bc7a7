import { isIpLiteral, isPublicAddress } from "./ip-address.ts";
import { MAX_FEED_URL_LENGTH } from "./vocabulary.ts";

/**
 * The SSRF guard of calendar imports: which URLs the server may fetch a feed from. A URL must be
 * https (webcal:// is read as https://, as calendar apps do), carry no credentials, and name a
 * public host: no IP address outside the public internet, no name that only means something on a
 * private network. Where the runtime can resolve names (Node), every address the name resolves to
 * must be public too, checked again before each request, redirects included. Workers cannot
 * resolve names, and need not: Cloudflare's fetch reaches only the public internet.
 */

/** Every address `hostname` resolves to, or undefined where the runtime cannot resolve names. */
export type Resolve = (hostname: string) => Promise<string[] | undefined>;

/** Names that only mean something on one machine or one private network. */
const PRIVATE_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "localdomain",
  "lan",
  "home",
  "corp",
  "intranet",
  "private",
  "arpa",
  "invalid",
  "test",
];

/** The URL of a feed, or why it may not be fetched (in words a host can act on). */
export type TargetCheck = { ok: true; url: URL } | { ok: false; problem: string };

const refuse = (problem: string): TargetCheck => ({ ok: false, problem });

/**
 * Checks what can be checked without the network: scheme, credentials, and the host as written
 * (IP literals in every form the URL parser reads, `localhost`, `.local`, `.internal`, …).
 */
export function checkFeedUrl(text: string): TargetCheck {
  if (text.length > MAX_FEED_URL_LENGTH) return refuse(`Must be at most ${MAX_FEED_URL_LENGTH} characters`);
  const written = text.trim().replace(/^webcal:\/\//i, "https://");
  if (!URL.canParse(written)) return refuse("Must be a URL");
  const url = new URL(written);
  if (url.protocol !== "https:") return refuse("Must be an https:// URL");
  if (url.username || url.password) return refuse("Must not carry a user name or password");
  const problem = hostProblem(url.hostname);
  if (problem) return refuse(problem);
  url.hash = "";
  return { ok: true, url };
}

/** Why a URL's hostname (lower case, IDNs in punycode, IPv4 canonical) may not be fetched. */
export function hostProblem(hostname: string): string | undefined {
  const host = hostname.replace(/\.+$/, "");
  if (host === "") return "Must name a host";
  if (isIpLiteral(host)) {
    return isPublicAddress(host) ? undefined : "Names an address that is not on the public internet";
  }
  const labels = host.split(".");
  if (PRIVATE_SUFFIXES.includes(labels.at(-1) ?? ""))
    return "Names a host that is not on the public internet";
  if (labels.length < 2) return "Must name a host on the public internet (a domain name with a dot)";
  return undefined;
}

/** Why a resolved target may not be fetched: it resolves to a private address, or not at all. */
export interface ResolvedProblem {
  problem: string;
  unresolved: boolean;
}

/** How long a name may take to resolve: a slow resolver must not hold a host's request. */
export const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * Checks `url` (already through `checkFeedUrl`) against what its name resolves to now: every
 * address must be public, and there must be one (within `timeoutMs`). Without a resolver, the
 * static check stands.
 */
export async function checkResolvedTarget(
  url: URL,
  resolve: Resolve,
  timeoutMs = RESOLVE_TIMEOUT_MS,
): Promise<ResolvedProblem | undefined> {
  const host = url.hostname.replace(/\.+$/, "");
  if (isIpLiteral(host)) return undefined;
  const unresolved = { problem: `${host} could not be resolved`, unresolved: true };
  let addresses: string[] | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("resolve timed out")), timeoutMs);
    });
    addresses = await Promise.race([resolve(host), late]);
  } catch {
    return unresolved;
  } finally {
    clearTimeout(timer);
  }
  if (addresses === undefined) return undefined;
  if (addresses.length === 0) return unresolved;
  // The address itself stays unsaid: a host must not learn what names resolve to inside our network.
  if (!addresses.every(isPublicAddress)) {
    return {
      problem: `${host} resolves to an address that is not on the public internet`,
      unresolved: false,
    };
  }
  return undefined;
}
