/**
 * Keys made at run time from data (`channels.reason.${reason}`, an error key a
 * zod schema carries) are not checked by the compiler: this test lists every
 * value each such key family can take and fails when one has no message.
 */
import assert from "node:assert/strict";
import { MESSAGE_SOURCES } from "../../core/message_source.ts";
import { isMessageKey, MESSAGE_KEYS, messageOf } from "../../core/i18n.ts";
import { LANGUAGES } from "../../core/i18n/message.ts";
import { CHANNEL_KINDS, CHANNEL_STATUSES, STATUS_REASONS } from "../../core/channel_types.ts";
import { MESSAGE_STATUSES } from "../../core/message_status.ts";
import { PHONE_PROBLEMS } from "../../core/phone.ts";
import { ROLES } from "../../core/permissions.ts";
import { templates, webhookDeliveries } from "../../db/schema.ts";
import {
  BROADCAST_STATUSES,
  PROGRESS_BUCKETS,
  SHOWN_RECIPIENT_STATUSES,
} from "../../core/broadcast_status.ts";
import { RECIPIENT_REASONS } from "../../core/broadcast_recipients.ts";
import { REPORT_COLUMNS } from "../../services/broadcast_reports.ts";
import { BROADCAST_WAIT_REASONS } from "../../core/broadcast_wait.ts";

const ROOT = new URL("../../", import.meta.url);
/** Where the application's code is; tests and the message tables themselves are not scanned. */
const SOURCE_DIRS = ["core", "db", "routes", "services", "sessions", "views"];
const SKIP = [/^core\/i18n\//, /^views\/static\//];

/** The code of a source file without its comment lines (examples in JSDoc are not code). */
async function code(path: string): Promise<string> {
  const text = await Deno.readTextFile(new URL(path, ROOT));
  return text.split("\n").filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line)).join("\n");
}

async function sources(): Promise<Array<{ path: string; text: string }>> {
  const out = [{ path: "main.ts", text: await code("main.ts") }];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      const path = `${dir}/${entry.name}`;
      if (SKIP.some((re) => re.test(path))) continue;
      if (entry.isDirectory) await walk(path);
      else if (/\.tsx?$/.test(entry.name)) {
        out.push({ path, text: await code(path) });
      }
    }
  };
  for (const dir of SOURCE_DIRS) {
    try {
      await walk(dir);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return out;
}

/** Audit action codes written anywhere (`action: "user.create"`, `action: x ? "a" : "b"`). */
function auditActions(files: Array<{ text: string }>): string[] {
  const found = new Set<string>();
  for (const { text } of files) {
    for (const line of text.split("\n")) {
      const at = line.match(/\baction: (.*)$/);
      if (!at) continue;
      for (const m of at[1].matchAll(/"([a-z_]+\.[a-z0-9_]+)"/g)) found.add(m[1]);
    }
  }
  return [...found].sort();
}

/** Each key family built from a value at run time, with every value it can take. */
async function families(): Promise<Array<[prefix: string, values: readonly string[]]>> {
  const files = await sources();
  const actions = auditActions(files);
  assert.ok(actions.length > 20, `found ${actions.length} audit actions`);
  return [
    ["channels.status.", CHANNEL_STATUSES],
    ["channels.reason.", STATUS_REASONS],
    ["channels.kind.", CHANNEL_KINDS],
    ["channels.kind_hint.", CHANNEL_KINDS],
    ["channels.logout_hint.", CHANNEL_KINDS.filter((k) => k !== "sandbox")],
    ["pacing.intro.", CHANNEL_KINDS],
    ["role.", ROLES],
    ["sandbox.status.", MESSAGE_STATUSES],
    ["webhooks.status.", webhookDeliveries.status.enumValues],
    // What a delivery reported: the statuses a message.status or message.received event carries.
    ["webhooks.subject_status.", ["sent", "delivered", "read", "failed", "received"]],
    ["templates.kind.", templates.kind.enumValues],
    ["err.phone_", PHONE_PROBLEMS],
    ["audit.act.", actions],
    ["broadcasts.status.", BROADCAST_STATUSES],
    ["thread.source.", MESSAGE_SOURCES],
    ["broadcasts.progress.", PROGRESS_BUCKETS],
    ["broadcasts.report_col.", REPORT_COLUMNS],
    [
      "broadcasts.row.",
      SHOWN_RECIPIENT_STATUSES.filter((s) => !PROGRESS_BUCKETS.includes(s as never)),
    ],
    ["broadcasts.reason.", [...RECIPIENT_REASONS, "duplicate", "opted_out", "not_on_whatsapp"]],
    ["broadcasts.action.", [
      "confirm",
      "start",
      "pause",
      "resume",
      "cancel",
      "retry",
      "edit",
      "delete",
    ]],
    ["broadcasts.done.", ["confirm", "start", "pause", "resume", "cancel"]],
    ["broadcasts.review.next_step.", ["draft", "confirmed", "scheduled"]],
    ["broadcasts.wait.", BROADCAST_WAIT_REASONS],
    ["broadcasts.wait_short.", BROADCAST_WAIT_REASONS],
  ];
}

Deno.test("every value of a key built at run time has a message in every language", async () => {
  const missing: string[] = [];
  for (const [prefix, values] of await families()) {
    assert.ok(values.length > 0, prefix);
    for (const value of values) {
      const message = messageOf(`${prefix}${value}`);
      for (const language of LANGUAGES) {
        if (!message?.[language]) missing.push(`${prefix}${value} (${language})`);
      }
    }
  }
  assert.deepEqual(missing, [], "add these to the right file under core/i18n/");
});

Deno.test("every key built at run time in the code is one of the families listed here", async () => {
  const firstWords = new Set(MESSAGE_KEYS.map((key) => key.split(".")[0]));
  const listed = new Set((await families()).map(([prefix]) => prefix));
  const unlisted: string[] = [];
  for (const { path, text } of await sources()) {
    // A template literal that starts like a message key: `channels.reason.${reason}`.
    for (const m of text.matchAll(/`(([a-z_]+)\.[a-z0-9_.]*)\$\{/g)) {
      if (firstWords.has(m[2]) && !listed.has(m[1])) unlisted.push(`${path}: ${m[1]}\${…}`);
    }
  }
  assert.deepEqual(unlisted, [], "list the values these keys can take in families()");
});

Deno.test("every error key written as a string in the code is a message", async () => {
  const unknown: string[] = [];
  for (const { path, text } of await sources()) {
    for (const m of text.matchAll(/["'`]((?:err|error)\.[a-z0-9_.]+)["'`]/g)) {
      if (!isMessageKey(m[1])) unknown.push(`${path}: ${m[1]}`);
    }
  }
  assert.deepEqual(unknown, []);
});
