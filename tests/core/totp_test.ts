import assert from "node:assert/strict";
import {
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  totpCodeAt,
  totpUri,
  verifyTotp,
} from "../../core/totp.ts";

const STEP = 30_000;
/** 2026-01-01 plus 10 s: inside a step, not on its edge. */
const NOW = Date.UTC(2026, 0, 1) + 10_000;
const nowStep = Math.floor(NOW / STEP);

Deno.test("the current code is accepted and returns its time step", () => {
  const secret = newTotpSecret();
  assert.equal(verifyTotp(secret, totpCodeAt(secret, NOW), NOW, null), nowStep);
  const spaced = totpCodeAt(secret, NOW).replace(/^(\d{3})/, "$1 ");
  assert.equal(verifyTotp(secret, spaced, NOW, null), nowStep, "a space as apps show it is fine");
});

Deno.test("one step of clock drift either way is accepted, two are not", () => {
  const secret = newTotpSecret();
  assert.equal(verifyTotp(secret, totpCodeAt(secret, NOW - STEP), NOW, null), nowStep - 1);
  assert.equal(verifyTotp(secret, totpCodeAt(secret, NOW + STEP), NOW, null), nowStep + 1);
  const twoBack = totpCodeAt(secret, NOW - 2 * STEP);
  const twoAhead = totpCodeAt(secret, NOW + 2 * STEP);
  const current = totpCodeAt(secret, NOW);
  // A code two steps away can only match by coincidence with a nearer one.
  if (
    ![current, totpCodeAt(secret, NOW - STEP), totpCodeAt(secret, NOW + STEP)].includes(twoBack)
  ) {
    assert.equal(verifyTotp(secret, twoBack, NOW, null), null);
  }
  if (
    ![current, totpCodeAt(secret, NOW - STEP), totpCodeAt(secret, NOW + STEP)].includes(twoAhead)
  ) {
    assert.equal(verifyTotp(secret, twoAhead, NOW, null), null);
  }
});

Deno.test("a code whose step was already used cannot be replayed", () => {
  const secret = newTotpSecret();
  const code = totpCodeAt(secret, NOW);
  const used = verifyTotp(secret, code, NOW, null);
  assert.equal(used, nowStep);
  assert.equal(verifyTotp(secret, code, NOW, used), null, "the same code again");
  assert.equal(verifyTotp(secret, code, NOW + 5_000, used), null, "a few seconds later");
  assert.equal(
    verifyTotp(secret, totpCodeAt(secret, NOW - STEP), NOW, used),
    null,
    "an older code after a newer one",
  );
  assert.equal(
    verifyTotp(secret, totpCodeAt(secret, NOW + STEP), NOW + STEP, used),
    nowStep + 1,
    "the next step's code is fine",
  );
});

Deno.test("garbage and another secret's code are refused", () => {
  const secret = newTotpSecret();
  const other = newTotpSecret();
  for (const code of ["", "12345", "1234567", "abcdef", "12345a", "-12345", "１２３４５６"]) {
    assert.equal(verifyTotp(secret, code, NOW, null), null, JSON.stringify(code));
  }
  const foreign = totpCodeAt(other, NOW);
  const own = [-1, 0, 1].map((d) => totpCodeAt(secret, NOW + d * STEP));
  if (!own.includes(foreign)) assert.equal(verifyTotp(secret, foreign, NOW, null), null);
});

Deno.test("the authenticator URI carries issuer, account and secret", () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/, "160 bits in base32");
  const uri = new URL(totpUri(secret, "siti"));
  assert.equal(uri.protocol, "otpauth:");
  assert.equal(uri.searchParams.get("secret"), secret);
  assert.equal(uri.searchParams.get("issuer"), "Kabar");
  assert.equal(uri.searchParams.get("digits"), "6");
  assert.equal(uri.searchParams.get("period"), "30");
  assert.match(decodeURIComponent(uri.pathname), /Kabar:siti$/);
});

Deno.test("recovery codes: ten unique, readable codes; typing them ignores case and dashes", () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) {
    assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    assert.doesNotMatch(code, /[ilo01]/, "no characters that look alike");
  }
  assert.equal(newRecoveryCodes(3).length, 3);

  const code = codes[0];
  const plain = code.replaceAll("-", "");
  assert.equal(normalizeRecoveryCode(code), plain);
  assert.equal(normalizeRecoveryCode(code.toUpperCase()), plain);
  assert.equal(normalizeRecoveryCode(` ${plain.slice(0, 6)} - ${plain.slice(6)} `), plain);
  assert.notEqual(normalizeRecoveryCode(codes[1]), plain);
});
