import { describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { preparedStatement } from "../../src/db/prepared.ts";
import { fnv1a } from "../../src/lib/fnv1a.ts";

// Only its identity matters to preparedStatement: it keys the statements kept per handle.
const handle = () => ({}) as Database;

describe("preparedStatement", () => {
  it("prepares each shape once per database handle and hands back the same statement", () => {
    const db = handle();
    let prepared = 0;
    const prepare = (name: string) => ({ name, n: ++prepared });
    const first = preparedStatement(db, "probe_once", "a", prepare);
    expect(preparedStatement(db, "probe_once", "a", prepare)).toBe(first);
    expect(prepared).toBe(1);
    // Another handle (a request's own Neon connection on Workers) prepares its own, under the same name.
    const other = preparedStatement(handle(), "probe_once", "a", prepare);
    expect(other).not.toBe(first);
    expect(other.name).toBe(first.name);
    expect(prepared).toBe(2);
  });

  it("never gives two shapes one name, even when their hashes collide", () => {
    // Two shapes with the same 32-bit FNV-1a hash: statement names derived from such a hash
    // collided, and node-postgres then refuses the second statement on a connection that holds
    // the first ("Prepared statements must be unique").
    const a = "distance|undefined|21|lat,lng,cx,cy,cz,radius,guests,limit#179599";
    const b = "distance|undefined|21|lat,lng,cx,cy,cz,radius,guests,limit#362382";
    expect(fnv1a(a)).toBe(fnv1a(b));
    const db = handle();
    const nameA = preparedStatement(db, "probe_collide", a, (name) => name);
    const nameB = preparedStatement(db, "probe_collide", b, (name) => name);
    expect(nameA).not.toBe(nameB);
    expect(nameA).toMatch(/^probe_collide_\d+$/);
    // PostgreSQL truncates names beyond 63 bytes.
    expect(nameA.length).toBeLessThanOrEqual(63);
  });
});
