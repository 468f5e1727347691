/** Webhooks through the API for a key limited to one channel: it sees and makes only that channel's. */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { startTestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";

Deno.test("a key limited to one channel cannot reach other channels' webhooks", async () => {
  await using t = await startTestApp();
  const mine = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "A" });
  const other = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "B",
  });
  const key = async (channelId: number | null) =>
    (await apiKey(t, ["webhooks:*"], { channelId })).api;
  const all = await key(null);
  const limited = await key(mine.id);
  const everything = await all.post("/api/v1/webhooks", { url: "https://example.org/all" });
  assert.equal(everything.status, 201);
  assert.equal(everything.body.channel, null);

  const made = await limited.post("/api/v1/webhooks", { url: "https://example.org/a" });
  assert.equal(made.status, 201);
  assert.equal(made.body.channel, mine.id, "pinned to the key's channel");
  const refused = await limited.post("/api/v1/webhooks", {
    url: "https://example.org/b",
    channel: other.id,
  });
  assert.equal(refused.status, 403);
  assert.deepEqual(
    (await limited.get("/api/v1/webhooks")).body.data.map((w: { id: number }) => w.id),
    [
      made.body.id,
    ],
  );
  assert.equal((await limited.get(`/api/v1/webhooks/${everything.body.id}`)).status, 404);
  assert.equal((await limited.delete(`/api/v1/webhooks/${everything.body.id}`)).status, 404);
  const moved = await limited.patch(`/api/v1/webhooks/${made.body.id}`, { channel: null });
  assert.equal(moved.status, 403);
  const loopback = await all.post("/api/v1/webhooks", { url: "http://127.0.0.1:9/x" });
  assert.equal(loopback.status, 403, "only a key with * may point inside");
  const marked = await all.post("/api/v1/webhooks", {
    url: "http://127.0.0.1:9/x",
    private_network: true,
  });
  assert.equal(marked.status, 403, "nor let a webhook reach inside");
});

Deno.test("webhooks into the hospital network: only a key with * may set them, on create or change", async () => {
  await using t = await startTestApp();
  const key = async (scopes: string[]) => (await apiKey(t, scopes)).api;
  const webhooksOnly = await key(["webhooks:*"]);
  const admin = await key(["*"]);
  const inside = [
    "http://127.0.0.1:9/x",
    "http://10.20.0.5/kabar",
    "http://172.16.4.2/kabar",
    "http://192.168.1.10:8080/kabar",
    "http://[::1]/kabar",
    "http://localhost:3000/kabar",
    "http://simrs.local/kabar",
  ];
  for (const url of inside) {
    const refused = await webhooksOnly.post("/api/v1/webhooks", { url });
    assert.equal(refused.status, 403, `${url}: ${JSON.stringify(refused.body)}`);
    assert.match(refused.body.error.details.url, /needs a key with the scope \*/);
    const asked = await webhooksOnly.post("/api/v1/webhooks", { url, private_network: true });
    assert.equal(asked.status, 403, `${url}: ${JSON.stringify(asked.body)}`);
    assert.match(asked.body.error.details.private_network, /needs a key with the scope \*/);
    const unmarked = await admin.post("/api/v1/webhooks", { url });
    assert.equal(unmarked.status, 422, `${url}: ${JSON.stringify(unmarked.body)}`);
    assert.match(unmarked.body.error.details.url, /private network/);
    const allowed = await admin.post("/api/v1/webhooks", { url, private_network: true });
    assert.equal(allowed.status, 201, `${url}: ${JSON.stringify(allowed.body)}`);
    assert.equal(allowed.body.private_network, true);
  }
  for (const url of ["http://0.0.0.0/kabar", "http://224.0.0.1/kabar", "http://[ff02::1]/x"]) {
    const never = await admin.post("/api/v1/webhooks", { url, private_network: true });
    assert.equal(never.status, 422, `${url}: ${JSON.stringify(never.body)}`);
    assert.match(never.body.error.details.url, /never receive/);
  }
  const outside = await webhooksOnly.post("/api/v1/webhooks", {
    url: "https://93.184.215.10/kabar",
  });
  assert.equal(outside.status, 201, JSON.stringify(outside.body));
  const moved = await webhooksOnly.patch(`/api/v1/webhooks/${outside.body.id}`, {
    url: "http://10.20.0.5/kabar",
  });
  assert.equal(moved.status, 403, "nor may it move one inside");
  assert.equal(
    (await webhooksOnly.get(`/api/v1/webhooks/${outside.body.id}`)).body.url,
    "https://93.184.215.10/kabar",
  );
});

Deno.test("rotations at the same moment: each answer is a secret that signed, or a 409", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["*"]);
  const made = await api.post("/api/v1/webhooks", {
    url: "https://hooks.example/k",
    events: ["*"],
  });
  const answers = await Promise.all(
    Array.from({ length: 16 }, () => api.post(`/api/v1/webhooks/${made.body.id}/secret`)),
  );
  assert.ok(
    answers.every((a) => a.status === 201 || a.status === 409),
    JSON.stringify(answers.map((a) => a.status)),
  );
  const given = answers.filter((a) => a.status === 201).map((a) => a.body.secret);
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT secret FROM webhooks WHERE id = ?",
    args: [made.body.id],
  });
  assert.ok(given.length >= 1, "at least one rotation made");
  assert.ok(
    given.includes(await t.deps.secretBox.open(String(rows[0].secret))),
    "the last one given is current",
  );
  const audited = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM audit_log WHERE action = 'webhook.rotate_secret'",
  );
  assert.equal(Number(audited.rows[0].n), given.length, "one audit line per rotation made");
});
