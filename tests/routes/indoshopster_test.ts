/**
 * POST /sendWhatsappMessage as Indoshopster Chat's document defines it: the
 * jQuery bracket form, JSON and multipart; each of its four answers; CORS for
 * a page allowed to call it; the message reaching the sandbox channel.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { revokeApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { messages } from "../../db/schema.ts";
import { createTemplate, updateTemplate } from "../../db/templates.ts";
import { INDOSHOPSTER_ERRORS } from "../../core/indoshopster.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

const SHOP = "https://toko.example.com";

async function setup(t: TestApp, scopes = ["messages:send"]) {
  const channel = await sandbox(t, { name: "Toko" });
  const { key, apiKey: record } = await apiKey(t, scopes);
  const order = await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "order_received",
    body: "Halo {{fullname}}, pesanan #{{order_id}} sudah kami terima.",
    kind: "message",
    shortcut: null,
    active: true,
  });
  const numbered = await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "resi",
    body: "Pesanan {{1}} dikirim dengan resi {{2}}, {{nama}}.",
    kind: "message",
    shortcut: null,
    active: true,
  });
  return { channel, key, apiKey: record, order, numbered };
}

/** Posts like a browser or a server would, and reads the answer as text. */
async function post(
  t: TestApp,
  body: string | FormData,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await t.app.request("http://kabar.test/sendWhatsappMessage", {
    method: "POST",
    headers,
    body,
  }, { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const jquery = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" };

Deno.test("the document's jQuery request sends the filled template and answers success", async () => {
  await using t = await startTestApp({ KABAR_CORS_ORIGINS: SHOP });
  const { key, order, channel } = await setup(t);
  const sent = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "sent",
  );
  // What $.ajax({ data: params, method: "POST" }) puts on the wire for the document's example
  // (with a valid Indonesian mobile: the document's 6299475799378 is no number in use).
  const answer = await post(
    t,
    jquery({
      api_key: key,
      template_id: order.id,
      phone_number: 6281294757993,
      "data[fullname]": "Mr. Smith",
      "data[order_id]": 67,
    }),
    { ...FORM, origin: SHOP },
  );
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get("access-control-allow-origin"), SHOP);
  const body = JSON.parse(answer.text);
  assert.equal(body.status, "success");
  assert.match(body.message_id, /^\d+$/);
  const [row] = await t.deps.db.select().from(messages).where(
    eq(messages.id, Number(body.message_id)),
  );
  assert.equal(row.body, "Halo Mr. Smith, pesanan #67 sudah kami terima.");
  assert.equal(row.source, "compat");
  assert.equal(row.templateId, order.id);
  assert.equal(row.channelId, channel.id);
  await sent;
});

Deno.test("JSON and multipart are taken too, with numbered and named variables", async () => {
  await using t = await startTestApp();
  const { key, numbered } = await setup(t);
  const data = { "1": "INV-9", "2": "JNE123", nama: "Bu Sari" };
  const json = await post(
    t,
    JSON.stringify({
      api_key: key,
      template_id: numbered.id,
      phone_number: "628123456789",
      data,
    }),
    { "content-type": "application/json" },
  );
  assert.equal(JSON.parse(json.text).status, "success", json.text);

  const form = new FormData();
  form.set("api_key", key);
  form.set("template_id", String(numbered.id));
  form.set("phone_number", "628123456789");
  for (const [k, v] of Object.entries(data)) form.set(`data[${k}]`, v);
  const multipart = await post(t, form);
  const id = JSON.parse(multipart.text).message_id;
  const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, Number(id)));
  assert.equal(row.body, "Pesanan INV-9 dikirim dengan resi JNE123, Bu Sari.");
});

Deno.test("each of the document's four answers, as plain text with HTTP 200", async () => {
  await using t = await startTestApp();
  const { key, apiKey: made, order } = await setup(t);
  const { key: readOnly } = await apiKey(t, ["messages:read"]);
  const good = {
    api_key: key,
    template_id: order.id,
    phone_number: "6281234567890",
    "data[fullname]": "Ani",
    "data[order_id]": "5",
  };
  const without = (name: string) =>
    Object.fromEntries(Object.entries(good).filter(([k]) => k !== name));
  const cases: Array<[string, Record<string, string | number>, string]> = [
    ["no api_key", without("api_key"), INDOSHOPSTER_ERRORS.wrongData],
    ["no template_id", without("template_id"), INDOSHOPSTER_ERRORS.wrongData],
    ["no phone_number", without("phone_number"), INDOSHOPSTER_ERRORS.wrongData],
    ["no data", {
      api_key: key,
      template_id: order.id,
      phone_number: "6281234567890",
    }, INDOSHOPSTER_ERRORS.wrongData],
    ["a variable missing", without("data[order_id]"), INDOSHOPSTER_ERRORS.wrongData],
    ["a variable too many", { ...good, "data[extra]": "x" }, INDOSHOPSTER_ERRORS.wrongData],
    [
      "a wrong variable name",
      { ...without("data[order_id]"), "data[orderid]": "5" },
      INDOSHOPSTER_ERRORS.wrongData,
    ],
    ["an unknown key", { ...good, api_key: "kbr_nope" }, INDOSHOPSTER_ERRORS.wrongApiKey],
    [
      "a key without messages:send",
      { ...good, api_key: readOnly },
      INDOSHOPSTER_ERRORS.wrongApiKey,
    ],
    ["an unknown template", { ...good, template_id: 9999 }, INDOSHOPSTER_ERRORS.templateNotFound],
    [
      "a template id that is no number",
      { ...good, template_id: "abc" },
      INDOSHOPSTER_ERRORS.templateNotFound,
    ],
    [
      "a number starting with 0",
      { ...good, phone_number: "081234567890" },
      INDOSHOPSTER_ERRORS.wrongPhone,
    ],
    [
      "a number with +",
      { ...good, phone_number: "+6281234567890" },
      INDOSHOPSTER_ERRORS.wrongPhone,
    ],
    [
      "a number with letters",
      { ...good, phone_number: "62812abc" },
      INDOSHOPSTER_ERRORS.wrongPhone,
    ],
    ["a number too short", { ...good, phone_number: "62812" }, INDOSHOPSTER_ERRORS.wrongPhone],
  ];
  for (const [why, fields, expected] of cases) {
    const answer = await post(t, jquery(fields), FORM);
    assert.equal(answer.status, 200, why);
    assert.equal(answer.text, expected, why);
    assert.match(answer.headers.get("content-type") ?? "", /^text\/plain/, why);
  }
  assert.equal((await post(t, "", FORM)).text, INDOSHOPSTER_ERRORS.wrongData, "an empty body");
  assert.equal(
    (await post(t, "{not json", { "content-type": "application/json" })).text,
    INDOSHOPSTER_ERRORS.wrongData,
    "broken JSON",
  );

  const quick = await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "salam",
    body: "Selamat pagi {{fullname}}",
    kind: "quick_reply",
    shortcut: "/salam",
    active: true,
  });
  assert.equal(
    (await post(t, jquery({ ...good, template_id: quick.id, "data[order_id]": "" }), FORM)).text,
    INDOSHOPSTER_ERRORS.templateNotFound,
    "a quick reply is not a message template",
  );
  await updateTemplate(t.deps.db, t.clock, CLI_ACTOR, order.id, { active: false });
  assert.equal((await post(t, jquery(good), FORM)).text, INDOSHOPSTER_ERRORS.templateNotFound);
  await updateTemplate(t.deps.db, t.clock, CLI_ACTOR, order.id, { active: true });
  await revokeApiKey(t.deps.db, t.clock, CLI_ACTOR, made.id);
  t.clock.advance(5001);
  assert.equal((await post(t, jquery(good), FORM)).text, INDOSHOPSTER_ERRORS.wrongApiKey);
  assert.equal(
    (await t.deps.db.select().from(messages)).length,
    0,
    "nothing was queued by a refused request",
  );
});

Deno.test("CORS: a listed page gets its preflight; another page is refused", async () => {
  await using t = await startTestApp({ KABAR_CORS_ORIGINS: SHOP });
  const { key, order } = await setup(t);
  const preflight = await t.app.request("http://kabar.test/sendWhatsappMessage", {
    method: "OPTIONS",
    headers: {
      origin: SHOP,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), SHOP);
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);

  const stranger = "https://evil.example.net";
  const refusedPreflight = await t.app.request("http://kabar.test/sendWhatsappMessage", {
    method: "OPTIONS",
    headers: { origin: stranger, "access-control-request-method": "POST" },
  });
  assert.equal(refusedPreflight.status, 403);
  assert.equal(refusedPreflight.headers.get("access-control-allow-origin"), null);
  const refused = await post(
    t,
    jquery({
      api_key: key,
      template_id: order.id,
      phone_number: "6281234567890",
      "data[fullname]": "A",
      "data[order_id]": "1",
    }),
    { ...FORM, origin: stranger },
  );
  assert.equal(refused.status, 403);
  assert.match(refused.text, /KABAR_CORS_ORIGINS/);
  assert.equal((await t.deps.db.select().from(messages)).length, 0);
});
