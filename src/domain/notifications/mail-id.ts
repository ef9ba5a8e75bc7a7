/** Stayedge's namespace for name-based ids (RFC 9562 §5.5): any fixed UUID, never changed. */
const NAMESPACE = "6b1e4a52-2f0d-4c8e-9a57-3d1f0c7b9e24";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The UUID (version 5) named `name`: the same name gives the same id, on every runtime. Outbox
 * rows that must exist once (one e-mail per event, recipient and kind) take such an id, so a
 * second insert of the same one changes nothing; it is a UUID because job queues (pg-boss) want one.
 */
export function nameBasedId(name: string): Promise<string> {
  return uuidV5(NAMESPACE, name);
}

/** RFC 9562's version 5 UUID of `name` in `namespace` (SHA-1, through Web Crypto). */
export async function uuidV5(namespaceId: string, name: string): Promise<string> {
  const namespace = Uint8Array.from(namespaceId.replaceAll("-", "").match(/../g) ?? [], (pair) =>
    Number.parseInt(pair, 16),
  );
  const named = new TextEncoder().encode(name);
  const data = new Uint8Array(namespace.length + named.length);
  data.set(namespace);
  data.set(named, namespace.length);
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-1", data)).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
