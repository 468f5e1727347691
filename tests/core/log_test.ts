import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import type { LogLevel } from "../../core/config.ts";
import { createLogger, redact } from "../../core/log.ts";

Deno.test("redact hides secret-looking fields at any depth and keeps the rest", () => {
  const input = {
    user: "siti",
    password: "kata-sandi",
    passwordConfirm: "kata-sandi",
    headers: {
      Authorization: "Bearer abc",
      cookie: "kabar_session=xyz",
      "content-type": "text/plain",
    },
    channel: { botToken: "123:ABC", name: "Telegram RS", secret: "s" },
    list: [{ token: "t1", id: 1 }, { token: "t2", id: 2 }],
    count: 3,
    none: null,
  };
  assert.deepEqual(redact(input), {
    user: "siti",
    password: "[redacted]",
    passwordConfirm: "[redacted]",
    headers: {
      Authorization: "[redacted]",
      cookie: "[redacted]",
      "content-type": "text/plain",
    },
    channel: { botToken: "[redacted]", name: "Telegram RS", secret: "[redacted]" },
    list: [{ token: "[redacted]", id: 1 }, { token: "[redacted]", id: 2 }],
    count: 3,
    none: null,
  });
  assert.equal(input.password, "kata-sandi", "the input is not changed");
});

Deno.test("redact never lets a secret through, however deep it is nested", () => {
  let deep: Record<string, unknown> = { password: "kata-sandi", note: "deep" };
  for (let i = 0; i < 12; i++) deep = { level: i, inner: deep };
  const text = JSON.stringify(redact(deep));
  assert.doesNotMatch(text, /kata-sandi/);
  assert.match(text, /"level":11/, "the top levels are kept");
});

Deno.test("an error is logged as its message, code and stack", () => {
  const error = new TypeError("bad input");
  assert.deepEqual(redact({ error }), {
    error: { message: "bad input", code: "TypeError", stack: error.stack },
  });
});

Deno.test("a line's keys are snake_case and its error is always an object", () => {
  const { log, lines } = capture("info");
  const thrown = Object.assign(new Error("no such file"), { code: "ENOENT" });
  log.info("a", { channelId: 3, retryInMs: 10, error: "the endpoint answered 500" });
  log.info("b", { error: thrown, nested: { messageId: 4, error: 5 } });
  log.info("c", { error: { message: "refused", code: 401 }, botToken: "123:ABC" });
  assert.deepEqual(lines[0], {
    time: "2026-01-01T00:00:00.000Z",
    level: "info",
    msg: "a",
    channel_id: 3,
    retry_in_ms: 10,
    error: { message: "the endpoint answered 500" },
  });
  assert.deepEqual(lines[1].error, {
    message: "no such file",
    code: "ENOENT",
    stack: thrown.stack,
  });
  assert.deepEqual(lines[1].nested, { message_id: 4, error: { message: "5" } });
  assert.deepEqual(lines[2].error, { message: "refused", code: "401" });
  assert.equal(lines[2].bot_token, "[redacted]");
});

function capture(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(level, new ManualClock(), (l) => lines.push(JSON.parse(l)));
  return { log, lines };
}

Deno.test("a logger writes one JSON line per entry at or above its level", () => {
  const { log, lines } = capture("warn");
  log.debug("d");
  log.info("i");
  log.warn("w", { channel: 3 });
  log.error("e");
  assert.deepEqual(lines.map((l) => [l.level, l.msg]), [["warn", "w"], ["error", "e"]]);
  assert.deepEqual(lines[0], {
    time: "2026-01-01T00:00:00.000Z",
    level: "warn",
    msg: "w",
    channel: 3,
  });

  const all = capture("debug");
  all.log.debug("d");
  all.log.info("i");
  assert.deepEqual(all.lines.map((l) => l.level), ["debug", "info"]);

  const errorsOnly = capture("error");
  errorsOnly.log.warn("w");
  errorsOnly.log.error("e");
  assert.deepEqual(errorsOnly.lines.map((l) => l.msg), ["e"]);
});

Deno.test("a child logger adds its fields to every line and redacts them too", () => {
  const { log, lines } = capture("info");
  const child = log.with({ request: "r1", token: "t" });
  child.info("hello", { password: "p", path: "/login" });
  child.debug("hidden");
  assert.deepEqual(lines, [{
    time: "2026-01-01T00:00:00.000Z",
    level: "info",
    msg: "hello",
    request: "r1",
    token: "[redacted]",
    password: "[redacted]",
    path: "/login",
  }]);
});
