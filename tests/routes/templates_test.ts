/** Templates through the API and the templates page: variables detected, names unique. */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { createTemplate, listTemplates, requireTemplate } from "../../db/templates.ts";
import { visibleText } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";
import { apiKey } from "../support/api_key.ts";

Deno.test("templates API: create, read with variables, update, refuse duplicates, delete", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["templates:*"]);
  const made = await api.post("/api/v1/templates", {
    name: "kontrol",
    body: "Halo {{nama}}, kontrol {{1}} di {{ poli }}. Sampai jumpa, {{nama}}!",
  });
  assert.equal(made.status, 201);
  assert.deepEqual(made.body.variables, ["nama", "1", "poli"]);
  assert.equal(made.body.active, true);
  const dup = await api.post("/api/v1/templates", { name: "kontrol", body: "x" });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.details.name, "Another template has this name.");
  const bad = await api.post("/api/v1/templates", { name: "ada spasi", body: "" });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.error.details).sort(), ["body", "name"]);
  const patched = await api.patch(`/api/v1/templates/${made.body.id}`, { active: false });
  assert.equal(patched.body.active, false);
  assert.equal((await api.get(`/api/v1/templates/${made.body.id}`)).body.name, "kontrol");
  assert.equal((await api.delete(`/api/v1/templates/${made.body.id}`)).status, 204);
  assert.equal((await api.get(`/api/v1/templates/${made.body.id}`)).status, 404);
  assert.equal(
    (await api.get("/api/v1/messages")).status,
    403,
    "templates:* is not messages:read",
  );
});

Deno.test("a supervisor adds and edits a template on the page; agents cannot", async () => {
  await using t = await startTestApp();
  const sari = await signedIn(t, "supervisor", { username: "sari" });
  await sari.get("/templates");
  const wrong = await sari.post("/templates", {
    name: "ada spasi",
    body: "",
    shortcut: "jadwal",
  });
  assert.equal(wrong.status, 422);
  const text = visibleText(wrong.text);
  assert.match(text, /without spaces/);
  assert.match(text, /Write the text/);
  assert.match(text, /A shortcut is a slash/);
  await sari.post("/templates", {
    name: "jadwal",
    body: "Poli anak buka {{hari}} jam {{jam}}.",
    kind: "quick_reply",
    shortcut: "/jadwal",
    active: "on",
  });
  const list = visibleText((await sari.get("/templates")).text);
  assert.match(
    list,
    /jadwal Poli anak buka \{\{hari\}\} jam \{\{jam\}\}\. \{\{hari\}\} \{\{jam\}\} Quick reply \/jadwal/,
  );
  const agus = await signedIn(t, "agent", { username: "agus" });
  assert.equal((await agus.get("/templates")).status, 403);
});

Deno.test("a key limited to one channel reads templates but cannot create, change or delete them", async () => {
  await using t = await startTestApp();
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Poli Anak",
  });
  const shared = await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "kontrol",
    body: "Halo {{nama}}, jadwal kontrol Anda besok.",
    kind: "message",
    shortcut: null,
    active: true,
  });
  const { api } = await apiKey(t, ["templates:*"], { channelId: channel.id });
  const list = await api.get("/api/v1/templates");
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.data.map((x: { name: string }) => x.name), ["kontrol"]);
  assert.equal((await api.get(`/api/v1/templates/${shared.id}`)).status, 200);

  const refusals = [
    await api.post("/api/v1/templates", { name: "baru", body: "Halo {{nama}}" }),
    await api.patch(`/api/v1/templates/${shared.id}`, { body: "Diganti oleh poli anak" }),
    await api.delete(`/api/v1/templates/${shared.id}`),
  ];
  for (const r of refusals) {
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.error.code, "channel_limited");
    assert.equal(
      r.body.error.message,
      `This API key is limited to channel ${channel.id} and cannot change templates, ` +
        "which every channel uses",
    );
    assert.equal(r.body.error.details.channel, channel.id);
  }
  const after = await requireTemplate(t.deps.db, shared.id);
  assert.equal(after.body, "Halo {{nama}}, jadwal kontrol Anda besok.", "left as it was");
  assert.deepEqual((await listTemplates(t.deps.db)).map((x) => x.name), ["kontrol"]);

  const { api: everyChannel } = await apiKey(t, ["templates:*"]);
  const patched = await everyChannel.patch(`/api/v1/templates/${shared.id}`, {
    body: "Halo {{nama}}, jadwal kontrol Anda lusa.",
  });
  assert.equal(patched.status, 200, "a key for every channel still may");
});

Deno.test("a brace that is no variable is refused, on the page and through the API", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["templates:*"]);
  for (
    const body of [
      "Halo {{nama",
      "Halo {{}}",
      "Halo {{nama lengkap}}",
      "Halo nama}}",
      "Halo {{{nama}}}",
      "Halo {{nama}}}",
    ]
  ) {
    const answer = await api.post("/api/v1/templates", { name: "salam", body });
    assert.equal(answer.status, 422, body);
    assert.match(
      answer.body.error.details.body,
      /is not a variable: write \{\{name\}\} or \{\{1\}\}/,
    );
  }
  const sari = await signedIn(t, "supervisor", { username: "sari" });
  await sari.get("/templates");
  const page = await sari.post("/templates", { name: "salam", body: "Halo {{nama" });
  assert.equal(page.status, 422);
  assert.match(
    visibleText(page.text),
    /“\{\{nama” is not a variable: write \{\{name\}\} or \{\{1\}\}/,
  );
  assert.equal((await listTemplates(t.deps.db)).length, 0);
});

Deno.test("a template filled in is held to the length a typed text is held to", async () => {
  await using t = await startTestApp();
  await createChannel(t.deps.db, t.deps.clock, CLI_ACTOR, { kind: "sandbox", name: "S" });
  const { api } = await apiKey(t, ["*"]);
  await api.post("/api/v1/templates", { name: "big", body: "{{a}}{{b}}" });
  const long = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    template: { name: "big", variables: { a: "x".repeat(3000), b: "y".repeat(3000) } },
  });
  assert.equal(long.status, 422, JSON.stringify(long.body));
  assert.match(long.body.error.details["template.variables"], /at most 4096 characters/);
  const fits = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    template: { name: "big", variables: { a: "x".repeat(2000), b: "y".repeat(2000) } },
  });
  assert.equal(fits.status, 202, JSON.stringify(fits.body));
});
