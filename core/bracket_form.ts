/**
 * Form fields named with brackets, as jQuery and PHP write nested objects:
 * `data[fullname]=Mr.+Smith&data[order_id]=67` becomes
 * `{ data: { fullname: "Mr. Smith", order_id: "67" } }`, and `tags[]=a&tags[]=b`
 * becomes `{ tags: ["a", "b"] }`. Fields without brackets stay as they are.
 */

const FIELD = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);

type Nested = Record<string, unknown>;

export function nestBrackets(flat: Record<string, unknown>): Nested {
  const out: Nested = {};
  for (const [field, value] of Object.entries(flat)) {
    const match = field.match(FIELD);
    const path = match
      ? [match[1], ...Array.from(match[2].matchAll(/\[([^[\]]*)\]/g), (m) => m[1])]
      : [field];
    if (path.some((part) => UNSAFE.has(part))) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) put(out, path, one);
  }
  return out;
}

function put(target: Nested, path: string[], value: unknown): void {
  let node: Nested | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      if (last) {
        node.push(value);
        return;
      }
      const child: Nested = {};
      node.push(child);
      node = child;
      continue;
    }
    if (last) {
      node[key] = value;
      return;
    }
    const wantsArray = path[i + 1] === "";
    const existing = node[key];
    if (wantsArray ? !Array.isArray(existing) : !isObject(existing)) {
      node[key] = wantsArray ? [] : {};
    }
    node = node[key] as Nested | unknown[];
  }
}

function isObject(value: unknown): value is Nested {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Blob);
}
