/**
 * The focus ring and the red border of a field with an error stand out at
 * least 3:1 against the white of a card and the grey of the page (WCAG
 * 2.1, 1.4.11), read from the stylesheet itself; and a text input with an
 * error is as red as a textarea (its rule is as specific as the field rule).
 */
import assert from "node:assert/strict";

const css = await Deno.readTextFile(new URL("../../views/static/app.css", import.meta.url));

function variable(name: string): string {
  const m = css.match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`));
  assert.ok(m, `--${name} is set`);
  return m[1];
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

Deno.test("the focus ring and error borders have at least 3:1 against card and page", () => {
  for (const color of ["focus", "danger"]) {
    for (const against of ["card", "bg"]) {
      const ratio = contrast(variable(color), variable(against));
      assert.ok(ratio >= 3, `--${color} on --${against}: ${ratio.toFixed(2)}:1`);
    }
  }
  assert.match(css, /outline: 3px solid var\(--focus\)/);
});

Deno.test("a text input with an error gets the red border, as a textarea does", () => {
  const rule = css.match(/input\[aria-invalid="true"\],[^{]*\{[^}]*\}/);
  assert.ok(rule, "a rule for invalid inputs as specific as input[type=...]");
  assert.match(rule[0], /border-color: var\(--danger\)/);
  const fieldRule = css.indexOf('input[type="text"],');
  assert.ok(fieldRule >= 0 && fieldRule < css.indexOf(rule[0]), "and after the field rule");
});
