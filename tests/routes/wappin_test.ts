/**
 * Wappin's API v1 as its document defines it, against a sandbox channel:
 * integrations, tokens, every documented code with its exact words, and the
 * round trip of a notification to `read` with callbacks in Wappin's shape.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { messages, webhooks } from "../../db/schema.ts";
import { createTemplate, updateTemplate } from "../../db/templates.ts";
import { toBase64 } from "../../core/tokens.ts";
import { wappinDateTime } from "../../core/wappin.ts";
import { apiClient } from "../support/api_client.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

const CALLER = "192.0.2.10";

interface Integration {
  id: number;
  client_id: string;
  project_id: string;
  secret_key: string;
  client_key: string;
  callback_webhook: number;
}

async function setup(
  t: TestApp,
  options: { environment?: "PRODUCTION" | "UAT"; callback?: string; ipWhitelist?: string } = {},
) {
  const channel = await sandbox(t, { name: "Notifikasi" });
  const { key, api: admin } = await apiKey(t);
  const made = await admin.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "RS Sehat Notifikasi",
    environment: options.environment ?? "PRODUCTION",
    callback_url: options.callback,
    ip_whitelist: options.ipWhitelist,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return { channel, admin, apiKey: key, integration: made.body as Integration };
}

/** Calls Kabar as a Wappin client does: JSON, HTTP 200 always, the code in the body. */
async function call(
  t: TestApp,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  from = CALLER,
) {
  const res = await t.app.request(`http://kabar.test${path}`, {
    method: "POST",
    headers: typeof body === "string" || body instanceof FormData
      ? headers
      : { "content-type": "application/json", ...headers },
    body: typeof body === "string" || body instanceof FormData ? body : JSON.stringify(body),
  }, { remoteAddr: { hostname: from, port: 40000, transport: "tcp" } });
  assert.equal(res.status, 200, `${path} answers HTTP 200`);
  return await res.json();
}

const basic = (user: string, password: string) =>
  `Basic ${toBase64(new TextEncoder().encode(`${user}:${password}`))}`;

async function token(t: TestApp, integration: Integration, from = CALLER): Promise<string> {
  const answer = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  }, from);
  assert.equal(answer.status, "200", JSON.stringify(answer));
  return answer.data.access_token;
}

const hsm = (integration: Integration, extra: Record<string, unknown> = {}) => ({
  client_id: integration.client_id,
  project_id: integration.project_id,
  type: "jadwal_kontrol",
  recipient_number: "082315658823",
  params: { "1": "Ibu Ani", "2": "Senin 09.00" },
  ...extra,
});

async function addTemplate(t: TestApp) {
  return await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "jadwal_kontrol",
    body: "Halo {{1}}, jadwal kontrol Anda {{2}}.",
    kind: "message",
    shortcut: null,
    active: true,
  });
}

Deno.test("integrations: an admin key makes, changes and removes them; UAT needs a sandbox", async () => {
  await using t = await startTestApp();
  const { admin, integration, channel } = await setup(t, { environment: "UAT" });
  assert.equal(integration.client_id, "0001");
  assert.equal(integration.project_id, "1");
  assert.match(integration.secret_key, /^[0-9a-f]{40}$/);
  assert.match(integration.client_key, /^[0-9a-f]{40}$/);
  const templates = await admin.get("/api/v1/templates");
  const names = templates.body.data.map((tp: { name: string }) => tp.name);
  assert.ok(names.includes("templ_uat_2") && names.includes("templ_uat_3"), names.join());

  const { api: sender } = await apiKey(t, ["messages:send", "webhooks:*"]);
  const refused = await sender.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "X",
    environment: "PRODUCTION",
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, "missing_scope");

  const whatsapp = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "whatsapp",
    name: "WA Pendaftaran",
  });
  const uat = await admin.post("/api/v1/integrations/wappin", {
    channel: whatsapp.id,
    project_name: "Coba",
    environment: "UAT",
  });
  assert.equal(uat.status, 422);
  assert.equal(uat.body.error.details.channel, "A UAT integration needs a sandbox channel.");
  const wrong = await admin.post("/api/v1/integrations/wappin", {
    channel: whatsapp.id,
    project_name: "",
    environment: "STAGING",
    callback_url: "ftp://x",
    ip_whitelist: ["10.0.0.300"],
  });
  assert.equal(wrong.status, 422);
  assert.deepEqual(Object.keys(wrong.body.error.details).sort(), [
    "callback_url",
    "environment",
    "ip_whitelist[0]",
    "project_name",
  ]);

  const twice = await admin.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "Kedua",
    environment: "UAT",
  });
  assert.equal(twice.status, 409, "one integration per channel");
  assert.equal(
    twice.body.error.details.channel,
    "This channel has a Wappin integration already: one per channel.",
  );
  const more = await Promise.all(["B", "C", "D"].map(async (name) => {
    const sandbox = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name });
    return await admin.post("/api/v1/integrations/wappin", {
      channel: sandbox.id,
      project_name: `Proyek ${name}`,
      environment: "PRODUCTION",
    });
  }));
  assert.deepEqual(more.map((m) => m.status), [201, 201, 201], "made at the same time");
  assert.deepEqual(more.map((m) => m.body.client_id).sort(), ["0002", "0003", "0004"]);
  const callbackHooks = (await admin.get("/api/v1/webhooks")).body.data.filter((
    w: { format: string },
  ) => w.format === "wappin");
  assert.equal(callbackHooks.length, 4, "one callback webhook per integration, no strays");
  const idle = await admin.patch(`/api/v1/webhooks/${more[0].body.callback_webhook}`, {
    active: true,
  });
  assert.equal(idle.status, 409, "a callback without a URL cannot be switched on");

  const changed = await admin.patch(`/api/v1/integrations/wappin/${integration.id}`, {
    callback_url: "https://simrs.example.org/wappin",
    ip_whitelist: "10.1.0.0/16, 192.0.2.10",
  });
  assert.equal(changed.status, 200);
  assert.deepEqual(changed.body.ip_whitelist, ["10.1.0.0/16", "192.0.2.10"]);
  const hook = await admin.get(`/api/v1/webhooks/${integration.callback_webhook}`);
  assert.equal(hook.body.format, "wappin");
  assert.equal(hook.body.url, "https://simrs.example.org/wappin");
  assert.equal(hook.body.active, true);
  const edit = await admin.patch(`/api/v1/webhooks/${integration.callback_webhook}`, {
    url: "https://elsewhere.example.org",
  });
  assert.equal(edit.status, 409, "its webhook is changed with the integration");
  assert.equal(
    (await admin.delete(`/api/v1/webhooks/${integration.callback_webhook}`)).status,
    409,
  );

  assert.equal((await admin.get("/api/v1/integrations/wappin")).body.data.length, 4);
  assert.equal((await admin.delete(`/api/v1/integrations/wappin/${integration.id}`)).status, 204);
  assert.equal((await admin.get(`/api/v1/integrations/wappin/${integration.id}`)).status, 404);
  const left = await t.deps.db.select().from(webhooks).where(
    eq(webhooks.id, integration.callback_webhook),
  );
  assert.equal(left.length, 0, "its callback webhook went with it");
});

Deno.test("token: 24 hours, the same one while valid, then a new one; 406, 401 and 407", async () => {
  await using t = await startTestApp();
  const { integration, admin } = await setup(t);
  const issuedAt = t.clock.now();
  const first = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  });
  assert.deepEqual(first, {
    status: "200",
    message: "Success",
    data: {
      access_token: first.data.access_token,
      expired_datetime: wappinDateTime(issuedAt + 24 * 3_600_000, "Asia/Jakarta"),
      token_type: "access_token",
    },
  });
  assert.match(first.data.access_token, /^[0-9a-f]{64}$/);
  t.clock.advance(3_600_000);
  const again = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  });
  assert.equal(again.message, "Token not expired");
  assert.equal(again.data.access_token, first.data.access_token);

  const inquiry = (tok: string) =>
    call(t, "/v1/message/inquiry", { message_id: "1" }, { authorization: `Bearer ${tok}` });
  assert.equal((await inquiry(first.data.access_token)).status, "404", "the token works");
  t.clock.advance(23 * 3_600_000);
  assert.deepEqual(await inquiry(first.data.access_token), {
    status: "401",
    message: "Invalid credential",
    data: null,
  });
  const renewed = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  });
  assert.equal(renewed.message, "Success");
  assert.notEqual(renewed.data.access_token, first.data.access_token);

  const short = await call(t, "/v1/token/get", undefined, {
    authorization: basic("1", integration.secret_key),
  });
  assert.equal(short.status, "200", 'client id "1" is "0001"');
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ["no Authorization", {}, "406", "Auth not recognize"],
    ["a Bearer header", { authorization: "Bearer abc" }, "406", "Auth not recognize"],
    ["no colon", { authorization: `Basic ${btoa("0001")}` }, "406", "Auth not recognize"],
    ["not base64", { authorization: "Basic %%%" }, "406", "Auth not recognize"],
    [
      "a wrong secret",
      {
        authorization: basic(integration.client_id, "0".repeat(40)),
      },
      "401",
      "Invalid credential",
    ],
    [
      "an unknown client",
      {
        authorization: basic("0099", integration.secret_key),
      },
      "401",
      "Invalid credential",
    ],
  ];
  for (const [why, headers, status, message] of cases) {
    const answer = await call(t, "/v1/token/get", undefined, headers);
    assert.deepEqual([answer.status, answer.message], [status, message], why);
  }

  await admin.patch(`/api/v1/integrations/wappin/${integration.id}`, {
    ip_whitelist: ["10.20.0.0/16"],
  });
  const outside = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  });
  assert.deepEqual([outside.status, outside.message], ["407", "IP Address not allowed"]);
  const guess = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, "0".repeat(40)),
  });
  assert.equal(guess.status, "407", "from outside, a secret key cannot even be tried");
  const inside = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  }, "10.20.3.4");
  assert.equal(inside.status, "200", "an address in the CIDR may");
  assert.deepEqual(
    [(await inquiry(renewed.data.access_token)).status],
    ["407"],
    "a token used from outside the whitelist",
  );
});

Deno.test("new keys: the old secret key and the current token stop working at once", async () => {
  await using t = await startTestApp();
  const { integration, admin } = await setup(t);
  const old = await token(t, integration);
  const renewed = await admin.post(`/api/v1/integrations/wappin/${integration.id}/keys`);
  assert.equal(renewed.status, 200);
  assert.notEqual(renewed.body.secret_key, integration.secret_key);
  assert.equal(renewed.body.client_id, integration.client_id, "the client id stays");
  const withOld = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, integration.secret_key),
  });
  assert.equal(withOld.status, "401");
  const inquiry = await call(t, "/v1/message/inquiry", { message_id: "1" }, {
    authorization: `Bearer ${old}`,
  });
  assert.equal(inquiry.status, "401", "the token made with the old key");
  const fresh = await call(t, "/v1/token/get", undefined, {
    authorization: basic(integration.client_id, renewed.body.secret_key),
  });
  assert.deepEqual([fresh.status, fresh.message], ["200", "Success"]);
});

Deno.test("do-send-hsm: success, and every documented code in its situation", async () => {
  await using t = await startTestApp();
  const { integration } = await setup(t);
  const template = await addTemplate(t);
  await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "salam",
    body: "Selamat pagi, ada yang bisa kami bantu?",
    kind: "quick_reply",
    shortcut: "/salam",
    active: true,
  });
  const auth = { authorization: `Bearer ${await token(t, integration)}` };
  const ok = await call(t, "/v1/message/do-send-hsm", hsm(integration), auth);
  assert.equal(ok.status, "200");
  assert.equal(ok.message, "Success");
  assert.equal(ok.data, null);
  const [row] = await t.deps.db.select().from(messages).where(
    eq(messages.id, Number(ok.message_id)),
  );
  assert.equal(row.body, "Halo Ibu Ani, jadwal kontrol Anda Senin 09.00.");
  assert.equal(row.source, "compat");

  const sms = await call(
    t,
    "/v1/message/do-send-hsm",
    hsm(integration, {
      channel: "sms",
      content: "templ_hsm",
      params_sms: { "1": "Name", "2": "800018" },
    }),
    auth,
  );
  assert.equal(sms.status, "200");
  assert.match(sms.message, /^Success\. SMS is not sent/);

  const cases: Array<[string, unknown, Record<string, string>, string, string]> = [
    ["no Authorization", hsm(integration), {}, "406", "Auth not recognize"],
    [
      "Basic instead of Bearer",
      hsm(integration),
      {
        authorization: basic(integration.client_id, integration.secret_key),
      },
      "406",
      "Auth not recognize",
    ],
    [
      "an unknown token",
      hsm(integration),
      { authorization: "Bearer 00ff" },
      "401",
      "Invalid credential",
    ],
    ["an empty body", "", auth, "400", "Error no input received"],
    [
      "broken JSON",
      "{",
      { ...auth, "content-type": "application/json" },
      "400",
      "Error no input received",
    ],
    [
      "another client",
      hsm(integration, { client_id: "0002" }),
      auth,
      "400",
      "Project ID or Client ID cannot be process.",
    ],
    [
      "no project",
      hsm(integration, { project_id: undefined }),
      auth,
      "400",
      "Project ID or Client ID cannot be process.",
    ],
    [
      "no template name",
      hsm(integration, { type: undefined }),
      auth,
      "400",
      "Error no input received",
    ],
    [
      "an unknown template",
      hsm(integration, { type: "nope" }),
      auth,
      "404",
      "API Notification Template not found or inactive",
    ],
    [
      "no params",
      hsm(integration, { params: undefined }),
      auth,
      "400",
      "Error no input received",
    ],
    [
      "a quick reply",
      hsm(integration, { type: "salam" }),
      auth,
      "404",
      "API Notification Template not found or inactive",
    ],
    [
      "a param missing",
      hsm(integration, { params: { "1": "A" } }),
      auth,
      "400",
      "Message param count do not match",
    ],
    [
      "a param too many",
      hsm(integration, { params: { "1": "A", "2": "B", "3": "C" } }),
      auth,
      "400",
      "Message param count do not match",
    ],
    [
      "a number not on WhatsApp",
      hsm(integration, { recipient_number: "6281200000000" }),
      auth,
      "601",
      "Contact invalid",
    ],
    ["no number", hsm(integration, { recipient_number: "halo" }), auth, "601", "Contact invalid"],
    [
      "sms without its template",
      hsm(integration, { channel: "sms" }),
      auth,
      "400",
      "Error no input received",
    ],
  ];
  for (const [why, body, headers, status, message] of cases) {
    const answer = await call(t, "/v1/message/do-send-hsm", body, headers);
    assert.deepEqual([answer.status, answer.message], [status, message], why);
    assert.equal(answer.message_id, undefined, `${why}: no message id`);
  }
  await updateTemplate(t.deps.db, t.clock, CLI_ACTOR, template.id, { active: false });
  const inactive = await call(t, "/v1/message/do-send-hsm", hsm(integration), auth);
  assert.deepEqual([inactive.status, inactive.message], [
    "404",
    "API Notification Template not found or inactive",
  ]);
  const count = await t.deps.db.select().from(messages);
  assert.equal(count.length, 2, "only the two accepted requests made messages");
});

Deno.test("the document's UAT example: templ_uat_2 sends; do-send answers 419", async () => {
  await using t = await startTestApp();
  const { integration } = await setup(t, { environment: "UAT" });
  const auth = { authorization: `Bearer ${await token(t, integration)}` };
  const sent = await call(t, "/v1/message/do-send-hsm", {
    client_id: integration.client_id,
    project_id: integration.project_id,
    type: "templ_uat_2",
    recipient_number: "6283899825320",
    params: { "1": "Anniv Grace", "2": "2018-10-10 19:26:36" },
  }, auth);
  assert.deepEqual([sent.status, sent.message, sent.data], ["200", "Success", null]);
  const text = await call(t, "/v1/message/do-send", {
    client_id: integration.client_id,
    project_id: integration.project_id,
    message_content: "haihello",
    recipient_number: "082315658823",
  }, auth);
  assert.equal(text.status, "419");
  assert.match(text.message, /^Sorry, the API Send Message can only be used for projects/);
  assert.match(text.message_id, /^[0-9a-f]{13}$/);
});

Deno.test("do-send sends text in PRODUCTION; do-send-media sends a file or answers 605", async () => {
  await using t = await startTestApp();
  const { integration, admin } = await setup(t);
  const auth = { authorization: `Bearer ${await token(t, integration)}` };
  const ids = { client_id: integration.client_id, project_id: integration.project_id };
  const text = await call(t, "/v1/message/do-send", {
    ...ids,
    message_content: "haihello",
    recipient_number: "082315658823",
  }, auth);
  assert.equal(text.status, "200");
  const [row] = await t.deps.db.select().from(messages).where(
    eq(messages.id, Number(text.message_id)),
  );
  assert.equal(row.body, "haihello");
  const empty = await call(t, "/v1/message/do-send", { ...ids, recipient_number: "0823" }, auth);
  assert.deepEqual([empty.status, empty.message], ["400", "Error no input received"]);
  assert.deepEqual(empty.data, {
    errors: { message_content: "required, 1 to 4096 characters" },
  });

  const png = Uint8Array.from(
    atob(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    ),
    (c) => c.charCodeAt(0),
  );
  const form = (fields: Record<string, string>, file?: File) => {
    const data = new FormData();
    for (const [k, v] of Object.entries({ ...ids, ...fields })) data.set(k, v);
    if (file) data.set("media", file);
    return data;
  };
  const photo = new File([png], "hasil-lab.png", { type: "image/png" });
  // The same bytes went out on another channel first: the integration's own file still goes.
  const other = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "B",
  });
  const elsewhere = await admin.post("/api/v1/messages", {
    to: "081299999999",
    channel: other.id,
    type: "image",
    media: { base64: toBase64(png), filename: "other.png", mimetype: "image/png" },
  });
  assert.equal(elsewhere.status, 202, JSON.stringify(elsewhere.body));
  const media = await call(
    t,
    "/v1/message/do-send-media",
    form({ recipient_number: "082315658823", media_type: "image", caption: "test" }, photo),
    auth,
  );
  assert.equal(media.status, "200", JSON.stringify(media));
  const [sentPhoto] = await t.deps.db.select().from(messages).where(
    eq(messages.id, Number(media.message_id)),
  );
  assert.equal(sentPhoto.type, "image");
  assert.equal(sentPhoto.body, "test");
  assert.ok(sentPhoto.mediaId);

  const failures: Array<[string, FormData | unknown]> = [
    [
      "a media_type Wappin does not know",
      form({ recipient_number: "0823156588", media_type: "video" }, photo),
    ],
    ["no file", form({ recipient_number: "0823156588", media_type: "image" })],
    [
      "a PNG sent as a document? fine; text sent as an image",
      form(
        { recipient_number: "0823156588", media_type: "image" },
        new File(["just text"], "a.txt", { type: "text/plain" }),
      ),
    ],
    ["the file named in JSON", {
      ...ids,
      recipient_number: "0823156588",
      media_type: "image",
      media: "7c87d81ca.jpg",
    }],
  ];
  for (const [why, body] of failures) {
    const answer = await call(t, "/v1/message/do-send-media", body, auth);
    assert.deepEqual([answer.status, answer.message], ["605", "Upload Media Failed"], why);
  }
});

Deno.test("number-checker: valid, not on WhatsApp, no number, channel down", async () => {
  await using t = await startTestApp();
  const { integration, channel } = await setup(t);
  const auth = { authorization: `Bearer ${await token(t, integration)}` };
  const check = (phone: string) =>
    call(t, "/v1/phone/number-checker", {
      client_id: integration.client_id,
      project_id: integration.project_id,
      phone_number: phone,
    }, auth);
  const valid = await check("082315658823");
  assert.deepEqual([valid.status, valid.message, valid.data], [
    "200",
    "Phone Number Valid",
    "+6282315658823",
  ]);
  assert.match(valid.message_id, /^[0-9a-f]{13}$/);
  const unknown = await check("081200000000");
  assert.deepEqual([unknown.status, unknown.message], ["601", "Phone Number Invalid"]);
  const letters = await check("nomor saya");
  assert.deepEqual([letters.status, letters.message], ["601", "Phone Number Invalid"]);
  await t.deps.registry.stop(channel.id);
  const down = await check("082315658823");
  assert.deepEqual([down.status, down.message], ["700", "Error from vendor"]);
});

/** A callback receiver at hooks.example (on 127.0.0.1) that answers what `reply` says and keeps what it got. */
function receiver(reply: () => string) {
  const got: Array<{ authorization: string | null; body: Record<string, string> }> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    got.push({ authorization: req.headers.get("authorization"), body: await req.json() });
    return new Response(reply(), { headers: { "content-type": "application/json" } });
  });
  return {
    got,
    url: `http://hooks.example:${server.addr.port}/wappin-callback`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("round trip: HSM sent, inquiry shows sent, delivered, read; callbacks as documented", async () => {
  await using callbacks = receiver(() => '{ "status": "000" }');
  await using t = await startTestApp();
  const { integration, channel, apiKey } = await setup(t, { callback: callbacks.url });
  await addTemplate(t);
  const access = await token(t, integration);
  const auth = { authorization: `Bearer ${access}` };
  const sent = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "sent",
  );
  const answer = await call(t, "/v1/message/do-send-hsm", hsm(integration), auth);
  await sent;
  const read = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "read",
  );
  t.clock.advance(3000);
  await read;

  const inquiry = await call(t, "/v1/message/inquiry", { message_id: answer.message_id }, auth);
  assert.equal(inquiry.status, "200");
  assert.equal(inquiry.message_id, answer.message_id);
  assert.deepEqual(inquiry.data.map((d: { status: string }) => d.status), [
    "sent",
    "delivered",
    "read",
  ]);
  for (const step of inquiry.data) assert.match(step.timestamp, /^\d{10}$/);
  assert.ok(Number(inquiry.data[2].timestamp) > Number(inquiry.data[0].timestamp));

  await waitUntil(() => callbacks.got.length >= 3, "three status callbacks");
  assert.deepEqual(callbacks.got.map((c) => c.body.status_messages), [
    "sent",
    "delivered",
    "read",
  ]);
  for (const [i, { authorization, body }] of callbacks.got.entries()) {
    assert.equal(authorization, `Bearer ${access}`, "the bearer token is the integration's");
    assert.deepEqual(body, {
      message_id: answer.message_id,
      client_id: "0001",
      client_name: "rs-sehat-notifikasi",
      project_id: "1",
      project_name: "RS Sehat Notifikasi",
      sender_number: "6282315658823",
      status_messages: inquiry.data[i].status,
      message_content: "-",
      environment: "PRODUCTION",
      timestamp: inquiry.data[i].timestamp,
      callback_type: "status",
    });
  }

  const inbound = await apiClient(t.app, apiKey).post(
    `/api/v1/sandbox/${channel.id}/inbound`,
    { from: "082315658823", text: "Terima kasih, saya datang" },
  );
  assert.equal(inbound.status, 201);
  await waitUntil(() => callbacks.got.length >= 4, "the message callback");
  const message = callbacks.got[3].body;
  assert.equal(message.callback_type, "message");
  assert.equal(message.message_content, "Terima kasih, saya datang");
  assert.equal(message.status_messages, "-");
  assert.equal(message.sender_number, "6282315658823");
  assert.equal(message.message_id, String(inbound.body.id));

  const missing = await call(t, "/v1/message/inquiry", { message_id: "999999" }, auth);
  assert.deepEqual(missing, { status: "404", message: "Data not Found", data: null });
  const inboundInquiry = await call(
    t,
    "/v1/message/inquiry",
    { message_id: inbound.body.id },
    auth,
  );
  assert.equal(inboundInquiry.status, "404", "only messages sent on the channel are found");
});

Deno.test("a callback not answered with 000 is tried again three times, then logged as failed", async () => {
  await using callbacks = receiver(() => '{"status":"500","message":"busy"}');
  await using t = await startTestApp();
  const { integration, admin } = await setup(t, { callback: callbacks.url });
  await addTemplate(t);
  const auth = { authorization: `Bearer ${await token(t, integration)}` };
  const sent = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "sent",
  );
  await call(t, "/v1/message/do-send-hsm", hsm(integration), auth);
  await sent;
  const sentCallbacks = () => callbacks.got.filter((c) => c.body.status_messages === "sent");
  // The delivery of the "sent" callback: the webhook's oldest.
  const sentDelivery = async () => {
    const { data } = (await admin.get(
      `/api/v1/webhooks/${integration.callback_webhook}/deliveries`,
    )).body;
    return data[data.length - 1] as {
      status: string;
      attempts: number;
      last_error: string;
      response_excerpt: string;
    };
  };
  for (let attempt = 1; attempt <= 3; attempt++) {
    await waitUntil(async () => {
      const d = await sentDelivery();
      return d?.attempts === attempt && d.status === "pending";
    }, `attempt ${attempt} recorded`);
    t.clock.advance(3_600_000);
  }
  await waitUntil(
    async () => (await sentDelivery()).status === "failed",
    "the delivery given up",
  );
  const given = await sentDelivery();
  assert.equal(given.attempts, 4);
  assert.equal(given.last_error, 'the endpoint did not answer "status": "000"');
  assert.match(given.response_excerpt, /busy/);
  assert.equal(sentCallbacks().length, 4, "the first attempt and three retries");
});

Deno.test("a key with * limited to one channel manages only that channel's integration", async () => {
  await using t = await startTestApp();
  const { integration, channel: theirs, admin } = await setup(t);
  const mine = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Poli",
  });
  const { api: limited } = await apiKey(t, ["*"], { channelId: mine.id });
  const base = "/api/v1/integrations/wappin";
  assert.deepEqual((await limited.get(base)).body.data, [], "the other channel's is not listed");
  for (
    const answer of [
      await limited.get(`${base}/${integration.id}`),
      await limited.patch(`${base}/${integration.id}`, { ip_whitelist: [] }),
      await limited.post(`${base}/${integration.id}/keys`),
      await limited.delete(`${base}/${integration.id}`),
    ]
  ) {
    assert.equal(answer.status, 404, JSON.stringify(answer.body));
  }
  const elsewhere = await limited.post(base, {
    channel: theirs.id,
    project_name: "Lain",
    environment: "UAT",
  });
  assert.equal(elsewhere.status, 403);
  const own = await limited.post(base, {
    channel: mine.id,
    project_name: "Poli",
    environment: "UAT",
  });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.deepEqual(
    (await limited.get(base)).body.data.map((i: { id: number }) => i.id),
    [own.body.id],
  );
  assert.equal((await admin.get(`${base}/${integration.id}`)).status, 200, "still there");
});

Deno.test("a Wappin callback is managed with its integration: a key without * does not see it", async () => {
  await using t = await startTestApp();
  const { integration, channel } = await setup(t, { callback: "https://hooks.example/cb" });
  const { api: hooks } = await apiKey(t, ["webhooks:*"], { channelId: channel.id });
  const id = integration.callback_webhook;
  assert.deepEqual((await hooks.get("/api/v1/webhooks")).body.data, []);
  assert.equal((await hooks.get(`/api/v1/webhooks/${id}`)).status, 404);
  assert.equal((await hooks.get(`/api/v1/webhooks/${id}/deliveries`)).status, 404);
  assert.equal((await hooks.patch(`/api/v1/webhooks/${id}`, { active: false })).status, 404);
  const [callback] = await t.deps.db.select().from(webhooks).where(eq(webhooks.id, id));
  assert.equal(callback.active, true, "still delivering");
});
