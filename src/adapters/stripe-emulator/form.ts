/**
 * Stripe's form encoding: `metadata[bookingId]=b1`, `capabilities[transfers][requested]=true`,
 * `expand[0]=latest_charge`. Values stay strings (the wire has no types); a node whose keys are all
 * indices becomes an array.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

// The parsed tree is built from request input: never let a key reach an object's prototype.
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function parseForm(encoded: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = keyPath(key);
    if (path.some((part) => FORBIDDEN_KEYS.has(part))) continue;
    assign(root, path, value);
  }
  return arraysFromIndices(root) as FormObject;
}

function keyPath(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0 || !key.endsWith("]")) return [key];
  return [key.slice(0, open), ...key.slice(open + 1, -1).split("][")];
}

function assign(root: FormObject, path: string[], value: string): void {
  let node = root;
  for (const [index, part] of path.entries()) {
    // `list[]=a&list[]=b` appends, as qs does.
    const name = part === "" ? String(Object.keys(node).length) : part;
    if (index === path.length - 1) {
      node[name] = value;
      return;
    }
    const next = node[name];
    if (typeof next === "object" && !Array.isArray(next)) node = next;
    else {
      const child: FormObject = {};
      node[name] = child;
      node = child;
    }
  }
}

function arraysFromIndices(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, child]) => [key, arraysFromIndices(child)] as const);
  const keys = entries.map(([key]) => key);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => child);
  }
  return Object.fromEntries(entries);
}
