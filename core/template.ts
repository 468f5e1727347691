/**
 * Message templates: a body with `{{variables}}`, named (`{{nama}}`) or
 * numbered (`{{1}}`), filled in when a message is sent.
 */

// `__proto__` is no name: a value for it could never be passed in an object.
const VARIABLE = /\{\{\s*((?!__proto__\s*\}\})[A-Za-z_][\w.-]*|\d+)\s*\}\}/g;

/** The variables of `body`, each once, in order of first use. */
export function templateVariables(body: string): string[] {
  return [...new Set(Array.from(body.matchAll(VARIABLE), (m) => m[1]))];
}

export type RenderResult =
  | { ok: true; text: string }
  | { ok: false; missing: string[]; unknown: string[] };

/**
 * Fills `body` with `values`. Every variable must be given and nothing else:
 * a missing or unknown name is almost always a typo in the calling system.
 */
export function renderTemplate(
  body: string,
  values: Record<string, string | number>,
): RenderResult {
  const names = templateVariables(body);
  const missing = names.filter((n) => !Object.hasOwn(values, n));
  const unknown = Object.keys(values).filter((n) => !names.includes(n));
  if (missing.length || unknown.length) return { ok: false, missing, unknown };
  return { ok: true, text: body.replace(VARIABLE, (_, name: string) => String(values[name])) };
}

/** An object of texts and numbers as texts (how callers send variables), or undefined. */
export function textValues(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string" && typeof v !== "number") return undefined;
    out[key] = String(v);
  }
  return out;
}

/** Whether `values` names exactly the variables of `body`: the same count, the same names. */
export function hasExactVariables(body: string, values: Record<string, string>): boolean {
  const names = templateVariables(body);
  const keys = Object.keys(values);
  return keys.length === names.length && keys.every((k) => names.includes(k));
}

/** `body` with the variables `values` names filled in, the others left as `{{name}}` to edit. */
export function fillKnownVariables(body: string, values: Record<string, string>): string {
  return body.replace(
    VARIABLE,
    (whole, name: string) => Object.hasOwn(values, name) ? values[name] : whole,
  );
}

/**
 * `body` made ready to be filled many times (a broadcast's thousands of
 * rows): the answer fills every variable with what `valueOf` gives for it.
 */
export function compileTemplate(body: string): (valueOf: (name: string) => string) => string {
  const pieces = body.split(VARIABLE);
  // split() puts each variable's name at the odd places, the text between at the even ones.
  return (valueOf) => {
    let text = pieces[0];
    for (let i = 1; i < pieces.length; i += 2) text += valueOf(pieces[i]) + pieces[i + 1];
    return text;
  };
}

/**
 * What is wrong with the braces of `body`, or undefined: a `{{` or `}}` that is not part of a
 * `{{name}}` or `{{1}}` (`Halo {{nama`, `{{}}`, `{{nama lengkap}}`) would reach the patient as
 * typed. Answers the first such piece, to name it.
 */
export function strayBraces(body: string): string | undefined {
  // `{{{nama}}}` would fill in as `{Budi}`.
  const tripled = body.match(/\{{3,}[^{}]{0,30}\}*|\}{3,}/);
  if (tripled) return tripled[0].trim();
  const rest = body.replace(VARIABLE, "");
  const stray = rest.match(/\{\{[^}]{0,30}\}{0,2}|\}\}/);
  return stray?.[0].trim();
}
