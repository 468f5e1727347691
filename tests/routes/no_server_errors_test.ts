/**
 * No wrong input makes Kabar answer 5xx. Every endpoint (the JSON API, the
 * Indoshopster and Wappin compatible APIs, every form, /setup and the
 * sign-in pages) gets, in each of its fields in turn, an object, an array, a
 * number, true, null, CR/LF, a NUL, 100 kB, an empty string and
 * template/HTML/SQL metacharacters (forms also the same name twice), path
 * ids that are no ids, malformed bodies, and requests without credentials.
 * Each answer is under 500 and in its surface's own shape: the API's
 * `{"error": {code, message, details}}`, Wappin's HTTP 200 with a code that
 * is not 5xx, Indoshopster's HTTP 200.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { createDepartment } from "../../db/departments.ts";
import { loginThrottle } from "../../db/schema.ts";
import { createTemplate } from "../../db/templates.ts";
import { countUsers, enableTotp } from "../../db/users.ts";
import { newTotpSecret, totpCodeAt } from "../../core/totp.ts";
import { toBase64 } from "../../core/tokens.ts";
import type { AdapterFactory } from "../../sessions/channel.ts";
import { startFakeTelegram } from "../fakes/telegram_api.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { PNG } from "../support/media_samples.ts";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";
import { apiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";

// --- what goes into the fields ------------------------------------------------------------

/** An object whose `toString` and `valueOf` are no functions: `String(x)` throws on it. */
const HOSTILE = { toString: 1, valueOf: 1 };
const META = `{{1}} }} {{nama}} {{ <script>alert(1)</script> &amp; ' OR '1'='1'; -- "%s\\`;

/** One wrong value of every kind, each sent into every field in turn. */
const WRONG_VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ["an object", HOSTILE],
  ["an array", ["a", "b"]],
  ["a number", 1e21],
  ["true", true],
  ["null", null],
  ["CR/LF", "a\r\nb"],
  ["NUL", "a\u0000b"],
  ["100 kB", "x".repeat(100_000)],
  ["empty", ""],
  ["metacharacters", META],
];

/** Forms also get the same name twice (`a=1&a=2`). */
const REPEATED = Symbol("repeated");

/** Where to go after signing in or choosing a language: a path that must stay a path. */
const WRONG_NEXT = {
  next: ["/a\r\nb", "/a\u0000b", "/\t/evil.example", "/\\evil.example", "//evil.example", "/é"],
};

/** Path ids that are no ids. */
const WRONG_IDS = ["abc", "-1", "1e999", "0x10", "99999999999999999999999", "1.5", "0", "%00"];

/** Bodies no endpoint can read as its input. */
const MALFORMED: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ["invalid JSON", '{"a": ', "application/json"],
  ["a JSON array", '[{"a": 1}]', "application/json"],
  ["a JSON string", '"a"', "application/json"],
  ["a JSON number", "42", "application/json"],
  ["JSON null", "null", "application/json"],
  ["an empty body", "", "application/json"],
  ["text/plain", "a=1", "text/plain"],
  ["a form", "a=1&a=2&b[c]=3", "application/x-www-form-urlencoded"],
  ["multipart without an end", '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1', mp("b")],
  ["multipart without a boundary", "a=1", "multipart/form-data"],
  ["no content type", '{"a": 1}', undefined],
];

function mp(boundary: string) {
  return `multipart/form-data; boundary=${boundary}`;
}

// --- the table ----------------------------------------------------------------------------

/** Whose answer shape a case checks. */
type Surface = "api" | "indoshopster" | "wappin" | "page";
type Encoding = "json" | "form" | "multipart" | "query";
type Body = Record<string, unknown>;

interface Case {
  label: string;
  surface: Surface;
  method: string;
  path: string;
  body?: Uint8Array<ArrayBuffer> | FormData;
  type?: string;
  headers: Record<string, string>;
  /** Run before the request (to forget sign-in failures, so the check itself runs). */
  before?: () => Promise<void>;
}

/** How a request proves who sends it. */
interface Credentials {
  headers: Record<string, string>;
  /** Put into every form as `_csrf`. */
  csrf?: string;
  before?: () => Promise<void>;
}

const NONE: Credentials = { headers: {} };
const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** A copy of `body` with the field at `path` (`a.b.0`) set to `value`. */
function withField(body: Body, path: string, value: unknown): Body {
  const copy = clone(body) as Body;
  const parts = path.split(".");
  let node = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
  return copy;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === "object" && !(value instanceof Blob)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  }
  return value;
}

/** Form fields as jQuery writes them: objects in brackets, arrays as `name[]`. */
function formPairs(value: unknown, name: string, out: Array<[string, string | Blob]>) {
  if (value === null || value === undefined) return;
  if (value === REPEATED) {
    out.push([name, "1"], [name, "2"]);
  } else if (value instanceof Blob) {
    out.push([name, value]);
  } else if (Array.isArray(value)) {
    for (const one of value) formPairs(one, `${name}[]`, out);
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) formPairs(v, `${name}[${k}]`, out);
  } else {
    out.push([name, String(value)]);
  }
}

function pairsOf(body: Body, csrf?: string): Array<[string, string | Blob]> {
  const out: Array<[string, string | Blob]> = csrf ? [["_csrf", csrf]] : [];
  for (const [k, v] of Object.entries(body)) formPairs(v, k, out);
  return out;
}

function encode(body: Body, encoding: Encoding, csrf?: string): Pick<Case, "body" | "type"> {
  if (encoding === "json") return { body: utf8(JSON.stringify(body)), type: "application/json" };
  const pairs = pairsOf(body, csrf);
  if (encoding === "multipart") {
    const form = new FormData();
    for (const [k, v] of pairs) form.append(k, v);
    return { body: form };
  }
  const text = new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString();
  return { body: utf8(text), type: "application/x-www-form-urlencoded" };
}

/** One endpoint and a valid request to it; the table changes one field at a time. */
interface Endpoint {
  surface: Surface;
  method: string;
  path: string;
  encoding: Encoding;
  valid: Body;
  /** Dotted paths of the fields to change; every field of `valid` when left out. */
  fields?: string[];
  /** More wrong values for particular fields. */
  extra?: Record<string, unknown[]>;
  credentials: Credentials;
}

/** Each wrong value in each field, one field at a time, and the malformed bodies. */
function casesFor(e: Endpoint): Case[] {
  const cases: Case[] = [];
  const values: ReadonlyArray<readonly [string, unknown]> = e.encoding === "json"
    ? WRONG_VALUES
    : [...WRONG_VALUES, ["repeated", REPEATED]];
  const common = { surface: e.surface, method: e.method, before: e.credentials.before };
  for (const field of e.fields ?? Object.keys(e.valid)) {
    const extra = (e.extra?.[field] ?? []).map((v) => [JSON.stringify(v).slice(0, 40), v] as const);
    for (const [what, value] of [...values, ...extra]) {
      const body = withField(e.valid, field, value);
      const label = `${e.method} ${e.path} (${e.encoding}): ${field} = ${what}`;
      if (e.encoding === "query") {
        const query = new URLSearchParams(pairsOf(body).map(([k, v]) => [k, String(v)]));
        cases.push({
          ...common,
          label,
          path: `${e.path}?${query}`,
          headers: e.credentials.headers,
        });
      } else {
        cases.push({
          ...common,
          label,
          path: e.path,
          headers: e.credentials.headers,
          ...encode(body, e.encoding, e.credentials.csrf),
        });
      }
    }
  }
  if (e.encoding !== "query") {
    cases.push(...malformedCases(e.surface, e.method, e.path, e.credentials));
  }
  return cases;
}

/** The malformed bodies; a form's CSRF token then goes in the header, so the route reads them. */
function malformedCases(
  surface: Surface,
  method: string,
  path: string,
  credentials: Credentials,
): Case[] {
  return MALFORMED.map(([what, text, type]) => ({
    label: `${method} ${path}: ${what}`,
    surface,
    method,
    path,
    body: utf8(text),
    type,
    headers: {
      ...credentials.headers,
      ...(credentials.csrf ? { "x-csrf-token": credentials.csrf } : {}),
    },
    before: credentials.before,
  }));
}

/** `template` (with `{id}`) with each wrong id, with `body` when given. */
function idCases(
  surface: Surface,
  method: string,
  template: string,
  credentials: Credentials,
  body?: Body,
): Case[] {
  return WRONG_IDS.map((id) => ({
    label: `${method} ${template}: id ${id}`,
    surface,
    method,
    path: template.replace("{id}", id),
    headers: {
      ...credentials.headers,
      ...(credentials.csrf ? { "x-csrf-token": credentials.csrf } : {}),
    },
    before: credentials.before,
    ...(body ? encode(body, surface === "api" ? "json" : "form", credentials.csrf) : {}),
  }));
}

// --- the answers --------------------------------------------------------------------------

/** What is wrong with an answer, or undefined when it is in the surface's shape. */
function problemWith(surface: Surface, status: number, text: string): string | undefined {
  if (surface === "wappin") {
    if (status !== 200) return `HTTP ${status}, not 200`;
    try {
      const answer = JSON.parse(text);
      if (typeof answer.status !== "string" || typeof answer.message !== "string") {
        return "not in Wappin's shape";
      }
      return /^5/.test(answer.status) ? `Wappin status ${answer.status}` : undefined;
    } catch {
      return "not JSON";
    }
  }
  if (status >= 500) return `HTTP ${status}`;
  if (surface === "indoshopster" && status !== 200) return `HTTP ${status}, not 200`;
  if (surface === "api" && status >= 400) {
    try {
      const { error } = JSON.parse(text);
      if (
        typeof error?.code !== "string" || typeof error.message !== "string" ||
        typeof error.details !== "object" || error.details === null
      ) {
        return "not in the error shape";
      }
    } catch {
      return "not JSON";
    }
  }
  return undefined;
}

let lastAddress = 0;
/** A new client address for every request: the table tests input, not per-address limits. */
function nextAddress(): string {
  lastAddress++;
  return `198.18.${(lastAddress >> 8) & 255}.${lastAddress & 255}`;
}

async function runCase(t: TestApp, c: Case): Promise<string | undefined> {
  await c.before?.();
  // Wappin's integrations have the default limit: let the tokens come back.
  t.clock.advance(10);
  const headers: Record<string, string> = { ...c.headers };
  if (c.type !== undefined) headers["content-type"] = c.type;
  const res = await t.app.request(`http://kabar.test${c.path}`, {
    method: c.method,
    headers,
    body: c.body,
  }, { remoteAddr: { hostname: nextAddress(), port: 40000, transport: "tcp" } });
  const text = await res.text();
  const problem = problemWith(c.surface, res.status, text);
  return problem && `${c.label}: ${problem}: ${text.replace(/\s+/g, " ").slice(0, 160)}`;
}

// --- the test -----------------------------------------------------------------------------

const TELEGRAM_TOKEN = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";

/** An adapter that connects at once and does nothing: WhatsApp and Telegram without a network. */
const idleAdapter: AdapterFactory = (context) => ({
  start() {
    context.callbacks.onStatus("connected");
    return Promise.resolve();
  },
  stop: () => Promise.resolve(),
  logout: () => Promise.resolve(),
  send: () => Promise.resolve({ externalId: crypto.randomUUID() }),
  checkNumbers: (phones) => Promise.resolve(phones.map((phone) => ({ phone, exists: true }))),
});

const cookieHeader = (browser: BrowserClient) =>
  [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

Deno.test("no wrong input, on any endpoint, makes Kabar answer 5xx", async () => {
  await using telegram = startFakeTelegram({ token: TELEGRAM_TOKEN });
  await using t = await startTestApp({ KABAR_TELEGRAM_API_ROOT: telegram.apiRoot }, {
    factories: { whatsapp: idleAdapter, telegram: idleAdapter },
  });
  const started = performance.now();
  const problems: string[] = [];
  let count = 0;
  const runAll = async (cases: Case[]) => {
    for (const c of cases) {
      count++;
      const problem = await runCase(t, c);
      if (problem) problems.push(problem);
    }
  };
  const { db, clock } = t.deps;
  const forgetFailures = async () => {
    await db.delete(loginThrottle);
  };

  // /setup on a new install: after a case that made the administrator, another new install.
  let firstRun = await startTestApp();
  const visitor = new BrowserClient(firstRun.app);
  await visitor.get("/setup");
  const setupCases = casesFor({
    surface: "page",
    method: "POST",
    path: "/setup",
    encoding: "form",
    valid: {
      displayName: "Siti",
      username: "siti",
      password: "kata-sandi-rahasia",
      passwordConfirm: "kata-sandi-rahasia",
    },
    credentials: { headers: { cookie: cookieHeader(visitor) }, csrf: visitor.csrfToken },
  });
  try {
    for (const c of setupCases) {
      if ((await countUsers(firstRun.deps.db)) > 0) {
        await firstRun.close();
        firstRun = await startTestApp();
      }
      count++;
      const problem = await runCase(firstRun, c);
      if (problem) problems.push(problem);
    }
  } finally {
    await firstRun.close();
  }

  // Who and what the other cases act on.
  await t.addUser("admin", "admin");
  const staff = await t.addUser("staff", "agent");
  await t.addUser("desk", "agent");
  const mfa = await t.addUser("mfa", "agent");
  const totpSecret = newTotpSecret();
  await enableTotp(db, clock, CLI_ACTOR, mfa.id, await t.deps.secretBox.seal(totpSecret), 0, []);
  const department = await createDepartment(db, clock, CLI_ACTOR, "Poli Umum");
  const doomedDepartment = await createDepartment(db, clock, CLI_ACTOR, "Poli Lama");
  const channel = await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: "Utama" });
  const spare = await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: "Cadangan" });
  const doomed = await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: "Hapus" });
  for (const ch of [channel, spare, doomed]) await t.deps.registry.start(ch.id);
  const template = async (name: string, body: string) =>
    await createTemplate(db, clock, CLI_ACTOR, {
      name,
      body,
      kind: "message",
      shortcut: null,
      active: true,
    });
  const kontrol = await template("kontrol", "Halo {{nama}}, jadwal {{tanggal}}");
  await template("jadwal_kontrol", "Halo {{1}}, jadwal kontrol Anda {{2}}.");
  const patchTemplate = await template("ubah_api", "Halo {{nama}}");
  const pageTemplate = await template("ubah_halaman", "Halo {{nama}}");
  const doomedTemplate = await template("hapus", "Halo");
  const { key, api } = await apiKey(t, ["*"], { name: "semua", rateLimit: 0 });
  const doomedKey = await apiKey(t, ["messages:send"], { name: "hapus", rateLimit: 0 });
  const made = async (path: string, body: unknown) => {
    const answer = await api.post(path, body);
    assert.ok(answer.status < 300, `${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  /** A channel of its own for each integration: one per channel. */
  const sandbox = async (name: string) =>
    (await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: `Integrasi ${name}` })).id;
  const integration = async (name: string, channelId?: number) =>
    await made("/api/v1/integrations/wappin", {
      channel: channelId ?? await sandbox(name),
      project_name: name,
      environment: "PRODUCTION",
    });
  const wappin = await integration("Notifikasi", channel.id);
  const patchIntegration = await integration("Ubah API");
  const pageIntegration = await integration("Ubah halaman");
  const doomedIntegration = await integration("Hapus");
  const hook = (events: string[]) =>
    made("/api/v1/webhooks", { url: "https://hooks.example/kabar", events });
  const patchHook = await hook(["channel.status"]);
  const pageHook = await hook(["channel.status"]);
  const form = new FormData();
  form.append("file", new File([PNG], "foto.png", { type: "image/png" }));
  form.append("type", "image");
  const media = await made("/api/v1/media", form);
  const sent = await made("/api/v1/messages", { to: "081234567890", text: "Halo" });
  const tokenAnswer = await t.app.request("http://kabar.test/v1/token/get", {
    method: "POST",
    headers: {
      authorization: `Basic ${toBase64(utf8(`${wappin.client_id}:${wappin.secret_key}`))}`,
    },
  });
  const wappinToken = (await tokenAnswer.json()).data.access_token;

  // Signed-in pages: an admin, and the account with two-step verification.
  const adminBrowser = new BrowserClient(t.app);
  assert.equal((await adminBrowser.signIn("admin", TEST_PASSWORD)).status, 303);
  await adminBrowser.get("/settings/account");
  await adminBrowser.post("/settings/account/2fa/start");
  await adminBrowser.get("/settings/account");
  const mfaFull = new BrowserClient(t.app);
  await mfaFull.signIn("mfa", TEST_PASSWORD);
  await mfaFull.get("/login/2fa");
  const full = await mfaFull.post("/login/2fa", { code: totpCodeAt(totpSecret, clock.now()) });
  assert.equal(full.location, "/inbox");
  await mfaFull.get("/settings/account");
  const mfaPending = new BrowserClient(t.app);
  await mfaPending.signIn("mfa", TEST_PASSWORD);
  await mfaPending.get("/login/2fa");
  const loginPage = new BrowserClient(t.app);
  await loginPage.get("/login");
  const session = (browser: BrowserClient, before?: () => Promise<void>): Credentials => ({
    headers: { cookie: cookieHeader(browser) },
    csrf: browser.csrfToken,
    before,
  });
  const asAdmin = session(adminBrowser);
  const withKey: Credentials = { headers: { authorization: `Bearer ${key}` } };
  const withToken: Credentials = { headers: { authorization: `Bearer ${wappinToken}` } };

  // --- the JSON API --------------------------------------------------------------------
  const apiEndpoint = (
    method: string,
    path: string,
    valid: Body,
    fields?: string[],
    encoding: Encoding = "json",
  ): Endpoint => ({
    surface: "api",
    method,
    path,
    encoding,
    valid,
    fields,
    credentials: withKey,
  });
  const to = "081234567890";
  const apiEndpoints: Endpoint[] = [
    apiEndpoint("POST", "/api/v1/messages", {
      to,
      channel: channel.id,
      type: "text",
      text: "Halo",
      idempotency_key: "kunci-1",
      metadata: { ref: "A1" },
    }, ["to", "channel", "type", "text", "idempotency_key", "metadata", "metadata.ref"]),
    apiEndpoint("POST", "/api/v1/messages", {
      to,
      template: { name: "kontrol", variables: { nama: "Ani", tanggal: "Senin" } },
    }, ["template", "template.name", "template.variables", "template.variables.nama"]),
    apiEndpoint("POST", "/api/v1/messages", {
      to,
      template: { id: kontrol.id, variables: { nama: "Ani", tanggal: "Senin" } },
    }, ["template.id"]),
    apiEndpoint("POST", "/api/v1/messages", {
      to,
      type: "image",
      media: { base64: toBase64(PNG), filename: "foto.png", mimetype: "image/png" },
      caption: "Foto",
    }, ["media", "media.base64", "media.filename", "media.mimetype", "caption"]),
    apiEndpoint("POST", "/api/v1/messages", { to, type: "image", media: { id: media.id } }, [
      "media.id",
    ]),
    apiEndpoint("POST", "/api/v1/messages", {
      to,
      type: "document",
      media: { url: "https://files.example/surat.pdf" },
    }, ["media.url"]),
    apiEndpoint(
      "GET",
      "/api/v1/messages",
      {
        channel: String(channel.id),
        to,
        status: "sent",
        since: "2026-01-01T00:00:00Z",
        cursor: "5",
        limit: "10",
      },
      undefined,
      "query",
    ),
    apiEndpoint(
      "POST",
      "/api/v1/media",
      {
        file: new File([PNG], "foto.png", { type: "image/png" }),
        type: "image",
      },
      undefined,
      "multipart",
    ),
    apiEndpoint("POST", "/api/v1/numbers/check", { numbers: [to], channel: channel.id }, [
      "numbers",
      "numbers.0",
      "channel",
    ]),
    apiEndpoint("POST", "/api/v1/channels", { kind: "sandbox", name: "Baru" }),
    apiEndpoint("POST", "/api/v1/channels", {
      kind: "whatsapp",
      name: "WA",
      number: "081200000001",
    }, ["number"]),
    apiEndpoint("POST", "/api/v1/channels", {
      kind: "telegram",
      name: "Bot",
      bot_token: TELEGRAM_TOKEN,
    }, ["bot_token"]),
    apiEndpoint(
      "GET",
      `/api/v1/channels/${channel.id}/qr`,
      {
        format: "json",
        pairing_code: "false",
      },
      undefined,
      "query",
    ),
    apiEndpoint(
      "DELETE",
      `/api/v1/channels/${await sandbox("Hapus API")}`,
      { force: "false" },
      undefined,
      "query",
    ),
    // Lists take no input: what they are given must not matter.
    ...[
      "/api/v1/channels",
      "/api/v1/templates",
      "/api/v1/webhooks",
      "/api/v1/integrations/wappin",
    ]
      .map((path) => apiEndpoint("GET", path, { cursor: "1" }, undefined, "query")),
    apiEndpoint("POST", `/api/v1/sandbox/${channel.id}/inbound`, {
      from: "081234567891",
      name: "Budi",
      text: "Halo",
    }),
    apiEndpoint("POST", "/api/v1/templates", {
      name: "baru",
      body: "Halo {{nama}}",
      kind: "message",
      shortcut: "/baru",
      active: true,
    }),
    apiEndpoint("PATCH", `/api/v1/templates/${patchTemplate.id}`, {
      name: "ubah_api",
      body: "Halo {{nama}}",
      kind: "message",
      shortcut: "/ubah",
      active: true,
    }),
    apiEndpoint("POST", "/api/v1/webhooks", {
      url: "https://hooks.example/baru",
      events: ["channel.status"],
      channel: channel.id,
      private_network: false,
    }, ["url", "events", "events.0", "channel", "private_network"]),
    apiEndpoint("PATCH", `/api/v1/webhooks/${patchHook.id}`, {
      url: "https://hooks.example/ubah",
      events: ["channel.status"],
      channel: channel.id,
      active: true,
      private_network: false,
    }),
    apiEndpoint(
      "GET",
      `/api/v1/webhooks/${patchHook.id}/deliveries`,
      {
        cursor: "1",
        limit: "10",
      },
      undefined,
      "query",
    ),
    apiEndpoint("POST", "/api/v1/integrations/wappin", {
      channel: await sandbox("Wappin API"),
      project_name: "Baru",
      environment: "PRODUCTION",
      callback_url: "https://hooks.example/wappin",
      private_network: false,
      ip_whitelist: "192.0.2.0/24",
    }),
    apiEndpoint("PATCH", `/api/v1/integrations/wappin/${patchIntegration.id}`, {
      callback_url: "https://hooks.example/wappin",
      private_network: false,
      ip_whitelist: ["192.0.2.0/24"],
    }),
  ];
  const templateBody = { body: "Halo {{nama}}" };
  const webhookBody = { active: true };
  const apiIdCases = [
    ...idCases("api", "GET", "/api/v1/messages/{id}", withKey),
    ...idCases("api", "GET", "/api/v1/messages/{id}/media", withKey),
    ...idCases("api", "GET", "/api/v1/channels/{id}", withKey),
    ...idCases("api", "DELETE", "/api/v1/channels/{id}", withKey),
    ...idCases("api", "GET", "/api/v1/channels/{id}/qr", withKey),
    ...idCases("api", "POST", "/api/v1/sandbox/{id}/inbound", withKey, {
      from: "081234567891",
      text: "Halo",
    }),
    ...idCases("api", "GET", "/api/v1/templates/{id}", withKey),
    ...idCases("api", "PATCH", "/api/v1/templates/{id}", withKey, templateBody),
    ...idCases("api", "DELETE", "/api/v1/templates/{id}", withKey),
    ...idCases("api", "GET", "/api/v1/webhooks/{id}", withKey),
    ...idCases("api", "PATCH", "/api/v1/webhooks/{id}", withKey, webhookBody),
    ...idCases("api", "DELETE", "/api/v1/webhooks/{id}", withKey),
    ...idCases("api", "GET", "/api/v1/webhooks/{id}/deliveries", withKey),
    ...idCases("api", "GET", "/api/v1/integrations/wappin/{id}", withKey),
    ...idCases("api", "PATCH", "/api/v1/integrations/wappin/{id}", withKey, {
      private_network: false,
    }),
    ...idCases("api", "POST", "/api/v1/integrations/wappin/{id}/keys", withKey),
    ...idCases("api", "DELETE", "/api/v1/integrations/wappin/{id}", withKey),
  ];
  // Without a key, with a wrong one, with a malformed header: 401 with the error shape.
  const apiRoutes = [
    ...new Set([
      ...apiEndpoints.map((e) => `${e.method} ${e.path}`),
      ...apiIdCases.map((c) => `${c.method} ${c.path}`),
    ]),
  ];
  const wrongKeys: Record<string, string>[] = [
    {},
    { authorization: "Bearer kbr_wrong" },
    { authorization: "Basic a2FiYXI=" },
    { "x-api-key": "a\u00e9" },
  ];
  const apiWithout: Case[] = apiRoutes.flatMap((route) => {
    const [method, path] = route.split(" ");
    return wrongKeys.map((headers) => ({
      label: `${route} without a valid key: ${JSON.stringify(headers)}`,
      surface: "api" as const,
      method,
      path,
      headers,
      body: method === "GET" ? undefined : utf8("{}"),
      type: "application/json",
    }));
  });
  await runAll([...apiEndpoints.flatMap(casesFor), ...apiIdCases, ...apiWithout]);

  // --- Indoshopster --------------------------------------------------------------------
  const indoshopster = {
    api_key: key,
    template_id: String(kontrol.id),
    phone_number: "6281234567890",
    data: { nama: "Ani", tanggal: "Senin" },
  };
  await runAll(
    (["json", "form", "multipart"] as const).flatMap((encoding) =>
      casesFor({
        surface: "indoshopster",
        method: "POST",
        path: "/sendWhatsappMessage",
        encoding,
        valid: indoshopster,
        fields: ["api_key", "template_id", "phone_number", "data", "data.nama"],
        credentials: NONE,
      })
    ),
  );

  // --- Wappin --------------------------------------------------------------------------
  const project = { client_id: wappin.client_id, project_id: wappin.project_id };
  const recipient = "082315658823";
  const wappinBodies: Array<[string, Body, Encoding[], string[]?]> = [
    [
      "/v1/message/do-send-hsm",
      {
        ...project,
        type: "jadwal_kontrol",
        recipient_number: recipient,
        params: { "1": "Ani", "2": "Senin" },
      },
      ["json", "form"],
      ["client_id", "project_id", "type", "recipient_number", "params", "params.1"],
    ],
    [
      "/v1/message/do-send-hsm",
      {
        ...project,
        type: "jadwal_kontrol",
        recipient_number: recipient,
        params: { "1": "Ani", "2": "Senin" },
        channel: "sms",
        content: "sms_jadwal",
        params_sms: { "1": "Ani" },
      },
      ["json"],
      ["channel", "content", "params_sms", "params_sms.1"],
    ],
    ["/v1/message/do-send", {
      ...project,
      recipient_number: recipient,
      message_content: "Halo",
    }, ["json", "form"]],
    ["/v1/message/do-send-media", {
      ...project,
      recipient_number: recipient,
      media_type: "image",
      caption: "Foto",
      media: new File([PNG], "foto.png", { type: "image/png" }),
    }, ["multipart"]],
    ["/v1/message/inquiry", { message_id: String(sent.id) }, ["json", "form"]],
    ["/v1/phone/number-checker", { ...project, phone_number: recipient }, ["json", "form"]],
  ];
  const wappinCases = wappinBodies.flatMap(([path, valid, encodings, fields]) =>
    encodings.flatMap((encoding) =>
      casesFor({
        surface: "wappin",
        method: "POST",
        path,
        encoding,
        valid,
        fields,
        credentials: withToken,
      })
    )
  );
  const basic = (text: string) => `Basic ${toBase64(utf8(text))}`;
  const tokenHeaders: Record<string, string>[] = [
    {},
    { authorization: "Basic" },
    { authorization: "Basic !!!" },
    { authorization: basic("tanpa-titik-dua") },
    { authorization: basic(`:${wappin.secret_key}`) },
    { authorization: basic(`${wappin.client_id}:salah`) },
    { authorization: basic(`a\r\nb:${wappin.secret_key}`) },
    { authorization: basic(`${"9".repeat(30)}:${wappin.secret_key}`) },
    { authorization: basic(`${wappin.client_id}:${"x".repeat(100_000)}`) },
    { authorization: `Basic ${toBase64(new Uint8Array([0xff, 0xfe, 0x3a, 0x80]))}` },
    { authorization: `Bearer ${wappinToken}` },
  ];
  const wrongTokens: Record<string, string>[] = [
    {},
    { authorization: "Bearer salah" },
    { authorization: "Basic salah" },
    { authorization: `Bearer ${wappinToken}x` },
  ];
  const wappinWithout: Case[] = [
    ...tokenHeaders.map((headers, i) => ({
      label: `POST /v1/token/get: credentials ${i}`,
      surface: "wappin" as const,
      method: "POST",
      path: "/v1/token/get",
      headers,
    })),
    ...malformedCases("wappin", "POST", "/v1/token/get", NONE),
    ...wappinBodies.flatMap(([path, valid]) =>
      wrongTokens.map((headers, i) => ({
        label: `POST ${path} without a valid token ${i}`,
        surface: "wappin" as const,
        method: "POST",
        path,
        headers,
        ...encode(valid, "multipart"),
      }))
    ),
    ...malformedCases("wappin", "POST", "/v1/message/do-send", NONE),
    ...malformedCases("wappin", "POST", "/v1/message/inquiry", NONE),
    {
      label: "POST /v1/nothing",
      surface: "wappin",
      method: "POST",
      path: "/v1/nothing",
      headers: withToken.headers,
    },
  ];
  await runAll([...wappinCases, ...wappinWithout]);

  // --- the pages -----------------------------------------------------------------------
  const page = (
    path: string,
    valid: Body,
    credentials: Credentials = asAdmin,
    fields?: string[],
  ): Endpoint => ({
    surface: "page",
    method: "POST",
    path,
    encoding: "form",
    valid,
    fields,
    credentials,
  });
  const noFields = (path: string, credentials: Credentials = asAdmin) =>
    malformedCases("page", "POST", path, credentials);
  const adminRecheck = session(adminBrowser, forgetFailures);
  const pageEndpoints: Endpoint[] = [
    page("/settings/account/profile", { displayName: "Admin", language: "en" }),
    page("/settings/account/password", {
      currentPassword: TEST_PASSWORD,
      password: "kata-sandi-baru-1",
      passwordConfirm: "kata-sandi-baru-1",
    }, adminRecheck),
    page("/settings/account/2fa/confirm", { code: "123456" }),
    page(
      "/settings/account/2fa/recovery-codes",
      { password: "salah" },
      session(mfaFull, forgetFailures),
    ),
    page(
      "/settings/account/2fa/disable",
      { password: "salah" },
      session(mfaFull, forgetFailures),
    ),
    page("/settings/users", {
      displayName: "Baru",
      username: "baru",
      role: "agent",
      language: "id",
      departmentIds: String(department.id),
      password: "kata-sandi-baru-1",
    }),
    page(`/settings/users/${staff.id}`, {
      displayName: "Staf",
      role: "agent",
      language: "id",
      departmentIds: String(department.id),
    }),
    page(`/settings/users/${staff.id}/password`, { password: "kata-sandi-baru-1" }),
    page("/settings/departments", { name: "Poli Gigi" }),
    page(`/settings/departments/${department.id}`, { name: "Poli Umum" }),
    page("/channels", { kind: "sandbox", name: "Baru" }),
    page("/channels", { kind: "whatsapp", name: "WA", phone: "081200000002" }, asAdmin, [
      "phone",
    ]),
    page("/channels", { kind: "telegram", name: "Bot", token: TELEGRAM_TOKEN }, asAdmin, [
      "token",
    ]),
    page(`/channels/${spare.id}/rename`, { name: "Cadangan" }),
    page(`/channels/${spare.id}/pacing`, {
      gap: "1",
      jitter: "0.5",
      broadcastGap: "2",
      broadcastJitter: "1",
      warmupDays: "0",
      dailyCap: "1000",
      maxAttempts: "5",
    }),
    page(`/channels/${spare.id}/sandbox-timing`, {
      acceptAfter: "0",
      deliverAfter: "1",
      readAfter: "2",
    }),
    page(`/channels/${spare.id}/sandbox`, { phone: "081234567892", name: "Citra", text: "Halo" }),
    page("/settings/api-keys", {
      name: "Lab",
      scopes: "messages:send",
      ipAllowlist: "192.0.2.0/24",
      channelId: String(channel.id),
      rateLimit: "5",
    }),
    page("/settings/webhooks", {
      url: "https://hooks.example/halaman",
      events: "channel.status",
      channelId: String(channel.id),
      privateNetwork: "on",
    }),
    page("/settings/integrations/wappin", {
      channel: String(await sandbox("Wappin halaman")),
      project_name: "Halaman",
      environment: "UAT",
      callback_url: "https://hooks.example/wappin",
      private_network: "on",
      ip_whitelist: "192.0.2.0/24",
    }),
    page(`/settings/integrations/wappin/${pageIntegration.id}`, {
      callback_url: "https://hooks.example/wappin",
      private_network: "on",
      ip_whitelist: "192.0.2.0/24",
    }),
    page("/templates", {
      name: "halaman",
      body: "Halo {{nama}}",
      kind: "quick_reply",
      shortcut: "/halo",
      active: "on",
    }),
    page(`/templates/${pageTemplate.id}`, {
      name: "ubah_halaman",
      body: "Halo {{nama}}",
      kind: "message",
      shortcut: "",
      active: "on",
    }),
    {
      ...page("/login", { username: "desk", password: TEST_PASSWORD, next: "/inbox" }, {
        headers: { cookie: cookieHeader(loginPage) },
        csrf: loginPage.csrfToken,
        before: forgetFailures,
      }),
      extra: WRONG_NEXT,
    },
    page("/login/2fa", { code: "123456" }, session(mfaPending, forgetFailures)),
    page("/login/2fa", { recoveryCode: "abcd-efgh-jkmn" }, session(mfaPending, forgetFailures)),
    {
      ...page("/language", { language: "en", next: "/inbox" }, session(loginPage)),
      extra: WRONG_NEXT,
    },
  ];
  const pageIdCases = [
    ...idCases("page", "POST", "/settings/users/{id}", asAdmin, {
      displayName: "X",
      role: "agent",
      language: "id",
    }),
    ...["password", "disable", "enable", "reset-2fa"].flatMap((action) =>
      idCases("page", "POST", `/settings/users/{id}/${action}`, asAdmin)
    ),
    ...idCases("page", "POST", "/settings/departments/{id}", asAdmin, { name: "X" }),
    ...idCases("page", "POST", "/settings/departments/{id}/delete", asAdmin),
    ...[
      "rename",
      "enable",
      "disable",
      "pair",
      "pairing-code",
      "logout",
      "delete",
      "pacing",
      "sandbox-timing",
      "sandbox",
    ]
      .flatMap((action) => idCases("page", "POST", `/channels/{id}/${action}`, asAdmin)),
    ...idCases("page", "POST", "/settings/api-keys/{id}/revoke", asAdmin),
    ...["pause", "resume", "delete", "deliveries/1/redeliver"].flatMap((action) =>
      idCases("page", "POST", `/settings/webhooks/{id}/${action}`, asAdmin)
    ),
    ...idCases(
      "page",
      "POST",
      `/settings/webhooks/${pageHook.id}/deliveries/{id}/redeliver`,
      asAdmin,
    ),
    ...["", "/keys", "/delete"].flatMap((action) =>
      idCases("page", "POST", `/settings/integrations/wappin/{id}${action}`, asAdmin)
    ),
    ...["", "/delete"].flatMap((action) =>
      idCases("page", "POST", `/templates/{id}${action}`, asAdmin)
    ),
    ...[
      "/channels/{id}",
      "/channels/{id}/sandbox",
      "/channels/{id}/delete",
      "/settings/users/{id}",
      "/templates/{id}",
      "/settings/webhooks/{id}",
    ]
      .flatMap((path) => idCases("page", "GET", path, asAdmin)),
  ];
  const pageQueries: Endpoint[] = [
    {
      ...page("/login", { next: "/inbox" }, NONE),
      method: "GET",
      encoding: "query",
      extra: WRONG_NEXT,
    },
    {
      ...page("/login/2fa", { recovery: "1" }, session(mfaPending)),
      method: "GET",
      encoding: "query",
    },
    { ...page("/channels/new", { kind: "whatsapp" }), method: "GET", encoding: "query" },
    {
      ...page(`/channels/${spare.id}/sandbox`, { phone: "0812", name: "Citra" }),
      method: "GET",
      encoding: "query",
    },
    {
      ...page(`/settings/webhooks/${pageHook.id}`, { cursor: "1" }),
      method: "GET",
      encoding: "query",
    },
  ];
  // Routes without fields, and the destructive ones last (each on a thing of its own).
  const pageNoFields = [
    ...noFields("/settings/account/2fa/start"),
    ...["disable", "enable", "reset-2fa"].flatMap((a) =>
      noFields(`/settings/users/${staff.id}/${a}`)
    ),
    ...["pair", "pairing-code"].flatMap((a) => noFields(`/channels/${spare.id}/${a}`)),
    ...["disable", "enable", "logout"].flatMap((a) => noFields(`/channels/${doomed.id}/${a}`)),
    ...noFields(`/settings/webhooks/${pageHook.id}/pause`),
    ...noFields(`/settings/webhooks/${pageHook.id}/resume`),
    ...noFields(`/settings/integrations/wappin/${doomedIntegration.id}/keys`),
    ...noFields("/logout", {
      headers: { cookie: cookieHeader(loginPage) },
      csrf: loginPage.csrfToken,
    }),
    ...casesFor(page(`/channels/${doomed.id}/delete`, { queued: "0" })),
    ...noFields(`/settings/departments/${doomedDepartment.id}/delete`),
    ...noFields(`/settings/api-keys/${doomedKey.apiKey.id}/revoke`),
    ...noFields(`/settings/webhooks/${pageHook.id}/delete`),
    ...noFields(`/settings/integrations/wappin/${doomedIntegration.id}/delete`),
    ...noFields(`/templates/${doomedTemplate.id}/delete`),
  ];
  // Without a session or without the CSRF token: sent to sign in, or 403.
  const pageRoutes = [...new Set(pageEndpoints.map((e) => e.path))];
  const pageWithout: Case[] = pageRoutes.flatMap((path) => [
    ...malformedCases("page", "POST", path, NONE).slice(0, 3),
    ...malformedCases("page", "POST", path, { headers: asAdmin.headers }).slice(6),
  ]);
  // The paths machines and browsers fetch without a form.
  const getCases: Case[] = [
    ["/healthz", {}],
    ["/metrics", {}],
    ["/metrics", { authorization: "Bearer a\u00e9" }],
    ["/api/openapi.json", {}],
    ["/api/docs", {}],
    ["/static/%00", {}],
    ["/favicon.ico", {}],
    ["/inbox?x=%00", asAdmin.headers],
  ].map(([path, headers]) => ({
    label: `GET ${path} ${JSON.stringify(headers)}`,
    surface: "page",
    method: "GET",
    path: path as string,
    headers: headers as Record<string, string>,
  }));
  await runAll([
    ...getCases,
    ...pageEndpoints.flatMap(casesFor),
    ...pageIdCases,
    ...pageQueries.flatMap(casesFor),
    ...pageNoFields,
    ...pageWithout,
  ]);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${count} requests in ${seconds.toFixed(1)} s`);
  assert.equal(
    problems.length,
    0,
    `${problems.length} of ${count} answers are wrong:\n${problems.slice(0, 100).join("\n")}`,
  );
});

Deno.test("what used to be a 500 is each surface's own answer, and nothing is sent", async () => {
  await using t = await startTestApp();
  const { db, clock } = t.deps;
  const channel = await sandbox(t, { name: "Utama" });
  const kontrol = await createTemplate(db, clock, CLI_ACTOR, {
    name: "kontrol",
    body: "Halo {{nama}}",
    kind: "message",
    shortcut: null,
    active: true,
  });
  const { key, api } = await apiKey(t, ["*"], { name: "semua", rateLimit: 0 });
  const post = async (path: string, body: BodyInit, headers: Record<string, string> = {}) => {
    const res = await t.app.request(`http://kabar.test${path}`, {
      method: "POST",
      headers,
      body,
    }, { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } });
    return { status: res.status, text: await res.text() };
  };

  // Indoshopster: a parameter that is not text is "wrong required data", as a missing one is.
  const valid = {
    api_key: key,
    template_id: String(kontrol.id),
    phone_number: "6281234567890",
    data: { nama: "Ani" },
  };
  const json = { "content-type": "application/json" };
  for (
    const [field, value] of [
      ["template_id", HOSTILE],
      ["phone_number", HOSTILE],
      ["template_id", true],
      ["phone_number", ["6281234567890"]],
      ["api_key", null],
    ] as const
  ) {
    const answer = await post(
      "/sendWhatsappMessage",
      JSON.stringify({ ...valid, [field]: value }),
      json,
    );
    assert.deepEqual(answer, { status: 200, text: "wrong required data" }, field);
  }
  const form = await post(
    "/sendWhatsappMessage",
    `api_key=${key}&template_id=${kontrol.id}&phone_number[toString]=1&data[nama]=Ani`,
    { "content-type": "application/x-www-form-urlencoded" },
  );
  assert.deepEqual(form, { status: 200, text: "wrong required data" });
  assert.deepEqual((await api.get("/api/v1/messages")).body.data, [], "nothing was sent");

  // Wappin: an inquiry without a message_id as text is "Error no input received", naming it.
  const wappin = (await api.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "Notifikasi",
    environment: "PRODUCTION",
  })).body;
  const issued = await post("/v1/token/get", "", {
    authorization: `Basic ${toBase64(utf8(`${wappin.client_id}:${wappin.secret_key}`))}`,
  });
  const bearer = {
    ...json,
    authorization: `Bearer ${JSON.parse(issued.text).data.access_token}`,
  };
  for (const messageId of [HOSTILE, ["1"], true, null]) {
    const answer = await post(
      "/v1/message/inquiry",
      JSON.stringify({ message_id: messageId }),
      bearer,
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.text), {
      status: "400",
      message: "Error no input received",
      data: { errors: { message_id: "required: the message_id a send answered" } },
    });
  }

  // A form that cannot be read (multipart without its boundary) is a 400 that says so.
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/departments");
  const unreadable = await admin.request("/settings/departments", {
    method: "POST",
    headers: { "content-type": "multipart/form-data", "x-csrf-token": admin.csrfToken },
    body: "name=Poli",
  });
  assert.equal(unreadable.status, 400);
  assert.match(
    visibleText(unreadable.text),
    /The form could not be read\. Reload the page and send it again\./,
  );
  assert.doesNotMatch(visibleText((await admin.get("/settings/departments")).text), /Poli/);
});
