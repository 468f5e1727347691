/** Templates through the API and the templates page: variables detected, names unique. */
import assert from "node:assert/strict";
import { createApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { apiClient } from "../support/api_client.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";

Deno.test("templates API: create, read with variables, update, refuse duplicates, delete", async () => {
  const t = await startTestApp();
  try {
    const { key } = await createApiKey(t.deps.db, t.clock, CLI_ACTOR, {
      name: "t",
      scopes: ["templates:*"],
      ipAllowlist: [],
      channelId: null,
    });
    const api = apiClient(t.app, key);
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
  } finally {
    await t.close();
  }
});

Deno.test("a supervisor adds and edits a template on the page; agents cannot", async () => {
  const t = await startTestApp();
  try {
    await t.addUser("sari", "supervisor");
    const sari = new BrowserClient(t.app);
    await sari.signIn("sari", TEST_PASSWORD);
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
    await t.addUser("agus", "agent");
    const agus = new BrowserClient(t.app);
    await agus.signIn("agus", TEST_PASSWORD);
    assert.equal((await agus.get("/templates")).status, 403);
  } finally {
    await t.close();
  }
});
