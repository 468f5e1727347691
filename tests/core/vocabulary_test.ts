/**
 * The product's words (channel kinds, message statuses, webhook events…)
 * are each written once, in one file of `core/`, and everything else
 * imports them: the tables, the API schemas, the pages, the OpenAPI
 * document. Read from the source, so a second copy fails here.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { ACTIVITY_KINDS } from "../../core/activity_kind.ts";
import { ADDRESS_SCOPES } from "../../core/address_scope.ts";
import { TOPICS } from "../../core/demo_hospital.ts";
import { FAILURE_CODES } from "../../core/message_failure.ts";
import { API_SCOPES } from "../../core/api_scopes.ts";
import { AUTO_REPLY_MATCHES } from "../../core/auto_reply_match.ts";
import {
  BROADCAST_ACTIONS,
  BROADCAST_SOURCES,
  BROADCAST_STATUSES,
  LEFT_OUT_STATUSES,
  PROGRESS_BUCKETS,
  RECIPIENT_FILTERS,
  RECIPIENT_STATUSES,
  SHOWN_RECIPIENT_STATUSES,
} from "../../core/broadcast_status.ts";
import { DEFAULT_STOP_WORDS, OPT_OUT_SOURCES } from "../../core/opt_out.ts";
import { SKIP_REASONS } from "../../core/contact_import.ts";
import { RECIPIENT_REASONS } from "../../core/broadcast_recipients.ts";
import { BROADCAST_WAIT_REASONS } from "../../core/broadcast_wait.ts";
import {
  CHANNEL_KINDS,
  CHANNEL_STATUSES,
  RECEIPT_STATUSES,
  STATUS_REASONS,
} from "../../core/channel_types.ts";
import { LOG_LEVELS } from "../../core/config.ts";
import { CONVERSATION_STATUSES } from "../../core/conversation_status.ts";
import { DELIVERY_STATUSES, WEBHOOK_ATTEMPT_RESULTS } from "../../core/delivery_status.ts";
import { PHONE_PROBLEMS, PHONE_TYPES } from "../../core/phone.ts";
import { FLASH_KINDS } from "../../core/flash_kind.ts";
import { LANGUAGES } from "../../core/i18n/message.ts";
import { INDOSHOPSTER_PARAMETERS } from "../../core/indoshopster.ts";
import { LOGIN_STAGES } from "../../core/login_stage.ts";
import { MESSAGE_DIRECTIONS } from "../../core/message_direction.ts";
import { MESSAGE_SOURCES } from "../../core/message_source.ts";
import { MESSAGE_STATUSES, TIMED_STATUSES } from "../../core/message_status.ts";
import { MEDIA_MESSAGE_TYPES, MESSAGE_TYPES, OUTBOUND_TYPES } from "../../core/message_type.ts";
import { openApiDocument } from "../../core/openapi.ts";
import { ROLES } from "../../core/permissions.ts";
import { TEMPLATE_KINDS } from "../../core/template_kind.ts";
import { THREAD_ENTRY_KINDS } from "../../core/thread_entry_kind.ts";
import { WAPPIN_ENVIRONMENTS } from "../../core/wappin_environment.ts";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from "../../core/webhook_events.ts";
import { WEBHOOK_FORMATS } from "../../core/webhook_format.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

interface Vocabulary {
  name: string;
  values: readonly string[];
  /** The one file that writes the words. */
  home: string;
}

/** Every vocabulary, with the file it lives in. */
const VOCABULARIES: Vocabulary[] = [
  { name: "ACTIVITY_KINDS", values: ACTIVITY_KINDS, home: "core/activity_kind.ts" },
  { name: "ADDRESS_SCOPES", values: ADDRESS_SCOPES, home: "core/address_scope.ts" },
  { name: "TOPICS", values: TOPICS, home: "core/demo_hospital.ts" },
  { name: "FAILURE_CODES", values: FAILURE_CODES, home: "core/message_failure.ts" },
  { name: "API_SCOPES", values: API_SCOPES, home: "core/api_scopes.ts" },
  { name: "AUTO_REPLY_MATCHES", values: AUTO_REPLY_MATCHES, home: "core/auto_reply_match.ts" },
  { name: "BROADCAST_STATUSES", values: BROADCAST_STATUSES, home: "core/broadcast_status.ts" },
  { name: "BROADCAST_ACTIONS", values: BROADCAST_ACTIONS, home: "core/broadcast_status.ts" },
  { name: "BROADCAST_SOURCES", values: BROADCAST_SOURCES, home: "core/broadcast_status.ts" },
  { name: "RECIPIENT_STATUSES", values: RECIPIENT_STATUSES, home: "core/broadcast_status.ts" },
  { name: "PROGRESS_BUCKETS", values: PROGRESS_BUCKETS, home: "core/broadcast_status.ts" },
  {
    name: "SHOWN_RECIPIENT_STATUSES",
    values: SHOWN_RECIPIENT_STATUSES,
    home: "core/broadcast_status.ts",
  },
  { name: "RECIPIENT_FILTERS", values: RECIPIENT_FILTERS, home: "core/broadcast_status.ts" },
  { name: "LEFT_OUT_STATUSES", values: LEFT_OUT_STATUSES, home: "core/broadcast_status.ts" },
  { name: "OPT_OUT_SOURCES", values: OPT_OUT_SOURCES, home: "core/opt_out.ts" },
  { name: "SKIP_REASONS", values: SKIP_REASONS, home: "core/contact_import.ts" },
  { name: "RECIPIENT_REASONS", values: RECIPIENT_REASONS, home: "core/broadcast_recipients.ts" },
  {
    name: "BROADCAST_WAIT_REASONS",
    values: BROADCAST_WAIT_REASONS,
    home: "core/broadcast_wait.ts",
  },
  { name: "DEFAULT_STOP_WORDS", values: DEFAULT_STOP_WORDS, home: "core/opt_out.ts" },
  { name: "CHANNEL_KINDS", values: CHANNEL_KINDS, home: "core/channel_types.ts" },
  { name: "CHANNEL_STATUSES", values: CHANNEL_STATUSES, home: "core/channel_types.ts" },
  { name: "RECEIPT_STATUSES", values: RECEIPT_STATUSES, home: "core/channel_types.ts" },
  { name: "STATUS_REASONS", values: STATUS_REASONS, home: "core/channel_types.ts" },
  { name: "LOG_LEVELS", values: LOG_LEVELS, home: "core/config.ts" },
  {
    name: "CONVERSATION_STATUSES",
    values: CONVERSATION_STATUSES,
    home: "core/conversation_status.ts",
  },
  { name: "DELIVERY_STATUSES", values: DELIVERY_STATUSES, home: "core/delivery_status.ts" },
  {
    name: "WEBHOOK_ATTEMPT_RESULTS",
    values: WEBHOOK_ATTEMPT_RESULTS,
    home: "core/delivery_status.ts",
  },
  { name: "PHONE_PROBLEMS", values: PHONE_PROBLEMS, home: "core/phone.ts" },
  { name: "PHONE_TYPES", values: PHONE_TYPES, home: "core/phone.ts" },
  { name: "FLASH_KINDS", values: FLASH_KINDS, home: "core/flash_kind.ts" },
  { name: "LANGUAGES", values: LANGUAGES, home: "core/i18n/message.ts" },
  {
    name: "INDOSHOPSTER_PARAMETERS",
    values: INDOSHOPSTER_PARAMETERS,
    home: "core/indoshopster.ts",
  },
  { name: "LOGIN_STAGES", values: LOGIN_STAGES, home: "core/login_stage.ts" },
  { name: "MESSAGE_DIRECTIONS", values: MESSAGE_DIRECTIONS, home: "core/message_direction.ts" },
  { name: "MESSAGE_SOURCES", values: MESSAGE_SOURCES, home: "core/message_source.ts" },
  { name: "MESSAGE_STATUSES", values: MESSAGE_STATUSES, home: "core/message_status.ts" },
  { name: "TIMED_STATUSES", values: TIMED_STATUSES, home: "core/message_status.ts" },
  { name: "MEDIA_MESSAGE_TYPES", values: MEDIA_MESSAGE_TYPES, home: "core/message_type.ts" },
  { name: "MESSAGE_TYPES", values: MESSAGE_TYPES, home: "core/message_type.ts" },
  { name: "OUTBOUND_TYPES", values: OUTBOUND_TYPES, home: "core/message_type.ts" },
  { name: "ROLES", values: ROLES, home: "core/permissions.ts" },
  { name: "THREAD_ENTRY_KINDS", values: THREAD_ENTRY_KINDS, home: "core/thread_entry_kind.ts" },
  { name: "TEMPLATE_KINDS", values: TEMPLATE_KINDS, home: "core/template_kind.ts" },
  {
    name: "WAPPIN_ENVIRONMENTS",
    values: WAPPIN_ENVIRONMENTS,
    home: "core/wappin_environment.ts",
  },
  { name: "WEBHOOK_EVENT_TYPES", values: WEBHOOK_EVENT_TYPES, home: "core/webhook_events.ts" },
  { name: "WEBHOOK_EVENTS", values: WEBHOOK_EVENTS, home: "core/webhook_events.ts" },
  { name: "WEBHOOK_FORMATS", values: WEBHOOK_FORMATS, home: "core/webhook_format.ts" },
];

/** The application's source: what is shipped, not the tests. */
const SOURCE_ROOTS = ["core", "db", "sessions", "services", "routes", "views", "main.ts"];

async function* sourceFiles(path: string): AsyncGenerator<string> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info) return;
  if (info.isFile) {
    if (/\.tsx?$/.test(path)) yield path;
    return;
  }
  for await (const entry of Deno.readDir(path)) {
    if (entry.name !== "static") yield* sourceFiles(join(path, entry.name));
  }
}

const STRING = String.raw`"(?:[^"\\\n]|\\.)*"`;
/** `["a", "b"]`: an array of nothing but string literals. */
const ARRAY = new RegExp(String.raw`\[\s*${STRING}(?:\s*,\s*${STRING})+\s*,?\s*\]`, "g");
/** `"a" | "b"`: a union of string literals, on one line or several. */
const UNION = new RegExp(String.raw`${STRING}(?:\s*\|\s*${STRING})+`, "g");

/** A list of words written in the source, where. */
interface WordList {
  file: string;
  line: number;
  values: string[];
}

/** Every list of two or more string literals in `source`: arrays and unions. */
function wordLists(file: string, source: string): WordList[] {
  const lists: WordList[] = [];
  for (const pattern of [ARRAY, UNION]) {
    for (const m of source.matchAll(pattern)) {
      const values = [...m[0].matchAll(new RegExp(STRING, "g"))].map((s) => JSON.parse(s[0]));
      lists.push({ file, line: source.slice(0, m.index).split("\n").length, values });
    }
  }
  return lists;
}

const sameWords = (a: readonly string[], b: readonly string[]) => {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((v) => set.has(v));
};

async function allWordLists(): Promise<WordList[]> {
  const lists: WordList[] = [];
  for (const root of SOURCE_ROOTS) {
    for await (const path of sourceFiles(join(ROOT, root))) {
      lists.push(...wordLists(relative(ROOT, path), await Deno.readTextFile(path)));
    }
  }
  return lists;
}

Deno.test("the scan finds a list of words however it is written", () => {
  const source = [
    'const a = ["x", "y"] as const;',
    'type B = "x" | "y";',
    "type C =",
    '  | "x"',
    '  | "y";',
    'text({ enum: ["y", "x", "x"] });',
    'const d = ["x", ...MORE];',
  ].join("\n");
  assert.deepEqual(
    wordLists("f.ts", source).map((l) => [l.line, l.values]),
    [[1, ["x", "y"]], [6, ["y", "x", "x"]], [2, ["x", "y"]], [4, ["x", "y"]]],
  );
});

Deno.test("each vocabulary is written once, in its own core file", async () => {
  const lists = await allWordLists();
  const copies: string[] = [];
  for (const vocabulary of VOCABULARIES) {
    const found = lists.filter((l) => sameWords(l.values, vocabulary.values));
    // Written out in its home, or built there from another vocabulary (`[...A, "b"]`).
    const atHome = found.filter((l) => l.file === vocabulary.home);
    for (const list of [...found.filter((l) => l.file !== vocabulary.home), ...atHome.slice(1)]) {
      copies.push(
        `${list.file}:${list.line} repeats ${vocabulary.name} (import it from ${vocabulary.home})`,
      );
    }
  }
  assert.deepEqual(copies, []);
});

Deno.test("no vocabulary is re-exported: callers import it from its own file", async () => {
  // What a vocabulary's file exports: the words, their types, what goes with them.
  const homes = new Map<string, string>();
  for (const home of new Set(VOCABULARIES.map((v) => v.home))) {
    const source = await Deno.readTextFile(join(ROOT, home));
    for (const m of source.matchAll(/^export (?:const|type|interface|function|class) (\w+)/gm)) {
      homes.set(m[1], home);
    }
  }
  const reexports: string[] = [];
  for (const root of SOURCE_ROOTS) {
    for await (const path of sourceFiles(join(ROOT, root))) {
      const file = relative(ROOT, path);
      const source = await Deno.readTextFile(path);
      for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
        for (const item of m[1].split(",")) {
          const name = item.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0];
          const home = homes.get(name);
          if (home && home !== file) reexports.push(`${file} re-exports ${name} of ${home}`);
        }
      }
      if (/export\s+\*/.test(source)) reexports.push(`${file} has export *`);
    }
  }
  assert.deepEqual(reexports, []);
});

Deno.test("every word list exported from core is a known vocabulary", async () => {
  const known = new Set(VOCABULARIES.map((v) => `${v.home} ${v.name}`));
  const unknown: string[] = [];
  for await (const path of sourceFiles(join(ROOT, "core"))) {
    const source = await Deno.readTextFile(path);
    const declared =
      /export const ([A-Z][A-Z0-9_]*) = \[((?:\s*(?:"[^"\n]*"|\.\.\.[A-Z_]+),?)+\s*)\] as const/g;
    for (const m of source.matchAll(declared)) {
      const entry = `${relative(ROOT, path)} ${m[1]}`;
      if (!known.has(entry)) unknown.push(entry);
    }
  }
  assert.deepEqual(unknown, [], "add these to VOCABULARIES");
});

/** Every `enum` of a JSON schema in `value`, and the `const`s of each property across a `oneOf`. */
function schemaEnums(value: unknown, path = ""): { path: string; values: unknown[] }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => schemaEnums(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  const found: { path: string; values: unknown[] }[] = [];
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.enum)) found.push({ path, values: object.enum });
  for (const key of ["oneOf", "anyOf"]) {
    const options = object[key];
    if (!Array.isArray(options)) continue;
    const consts = new Map<string, unknown[]>();
    for (const option of options) {
      const properties = (option?.properties ?? {}) as Record<string, { const?: unknown }>;
      for (const [name, schema] of Object.entries(properties)) {
        if (schema?.const !== undefined) {
          consts.set(name, [...consts.get(name) ?? [], schema.const]);
        }
      }
    }
    for (const [name, values] of consts) found.push({ path: `${path}.${key}.${name}`, values });
  }
  for (const [key, child] of Object.entries(object)) {
    if (key !== "enum") found.push(...schemaEnums(child, `${path}.${key}`));
  }
  return found;
}

Deno.test("the OpenAPI document's enums are the core vocabularies", () => {
  const enums = schemaEnums(openApiDocument("test"));
  // An enum that uses a vocabulary's words is that vocabulary, whole and in its order.
  for (const { path, values } of enums) {
    const related = VOCABULARIES.filter((v) => values.some((x) => v.values.includes(x as string)));
    if (related.length === 0) continue;
    assert.ok(
      related.some((v) => JSON.stringify(v.values) === JSON.stringify(values)),
      `${path}: ${JSON.stringify(values)} is not one of ${related.map((v) => v.name).join(", ")}`,
    );
  }
  const documented = new Set(enums.map((e) => JSON.stringify(e.values)));
  for (
    const vocabulary of [
      CHANNEL_KINDS,
      OUTBOUND_TYPES,
      MEDIA_MESSAGE_TYPES,
      MESSAGE_STATUSES,
      TEMPLATE_KINDS,
      WEBHOOK_EVENTS,
      WAPPIN_ENVIRONMENTS,
    ]
  ) {
    assert.ok(documented.has(JSON.stringify(vocabulary)), `${vocabulary.join(", ")} documented`);
  }
});
