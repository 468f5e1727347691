/**
 * `/api/v1/opt-outs` and `respect_opt_out`: list, add and remove with the
 * contacts scopes, a channel-limited key reads only, wrong input named, and
 * a send that asks to respect the list refuses an opted-out number while
 * one that does not still goes.
 */
import assert from "node:assert/strict";
import { apiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

async function queuedTo(t: TestApp, phone: string) {
  const { rows } = await t.deps.db.$client.execute({
    sql: `SELECT count(*) AS n FROM messages m JOIN contacts k ON k.id = m.contact_id
      WHERE k.phone = ? AND m.direction = 'out'`,
    args: [phone],
  });
  return Number(rows[0].n);
}

Deno.test("opt-outs through the API: add (201, then 200 as it was), list, search, remove, 404", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["contacts:*"], { name: "SIMRS" });
  const added = await api.post("/api/v1/opt-outs", { phone: "0812-3456-7890" });
  assert.equal(added.status, 201);
  assert.equal(added.body.phone, "6281234567890");
  assert.equal(added.body.source, "api");
  assert.equal(added.body.message_id, null);
  assert.equal(added.body.created_by, null);
  assert.match(added.body.created_at, /^\d{4}-\d\d-\d\dT/);
  t.clock.advance(60_000);
  const again = await api.post("/api/v1/opt-outs", { phone: "+62 812 3456 7890" });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, added.body, "the entry as it was");

  for (let i = 0; i < 3; i++) {
    t.clock.advance(1000);
    assert.equal((await api.post("/api/v1/opt-outs", { phone: `0813000000${i}0` })).status, 201);
  }
  const first = await api.get("/api/v1/opt-outs?limit=2");
  assert.equal(first.status, 200);
  assert.deepEqual(first.body.data.map((e: { phone: string }) => e.phone), [
    "628130000002" + "0",
    "628130000001" + "0",
  ]);
  assert.equal(first.body.has_more, true);
  const second = await api.get(`/api/v1/opt-outs?limit=2&cursor=${first.body.next_cursor}`);
  assert.deepEqual(second.body.data.map((e: { phone: string }) => e.phone), [
    "6281300000000",
    "6281234567890",
  ]);
  assert.equal(second.body.has_more, false);
  assert.equal(second.body.next_cursor, null);
  const found = await api.get("/api/v1/opt-outs?q=0812%203456");
  assert.deepEqual(found.body.data.map((e: { phone: string }) => e.phone), ["6281234567890"]);

  assert.equal((await api.delete("/api/v1/opt-outs/%2B62%20812-3456-7890")).status, 204);
  const gone = await api.delete("/api/v1/opt-outs/081234567890");
  assert.equal(gone.status, 404);
  assert.match(gone.body.error.message, /\+6281234567890 is not on the opt-out list/);
  const { rows } = await t.deps.db.$client.execute(
    "SELECT action, actor FROM audit_log WHERE action LIKE 'opt_out.%' ORDER BY id",
  );
  assert.deepEqual(rows.map((r) => [String(r.action), String(r.actor)]).slice(-1), [
    ["opt_out.remove", "apikey:SIMRS"],
  ]);
});

Deno.test("opt-outs through the API: scopes, a channel-limited key, wrong input named", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api: reader } = await apiKey(t, ["contacts:read"]);
  const { api: limited } = await apiKey(t, ["contacts:*"], { channelId: channel.id });
  const { api: sender } = await apiKey(t, ["messages:send"]);
  const { api } = await apiKey(t, ["contacts:write"]);

  assert.equal((await reader.get("/api/v1/opt-outs")).status, 200);
  const noWrite = await reader.post("/api/v1/opt-outs", { phone: "081234567890" });
  assert.equal(noWrite.status, 403);
  assert.equal(noWrite.body.error.code, "missing_scope");
  assert.equal((await sender.get("/api/v1/opt-outs")).body.error.code, "missing_scope");
  assert.equal((await api.get("/api/v1/opt-outs")).status, 403, "write does not read");

  assert.equal((await limited.get("/api/v1/opt-outs")).status, 200);
  for (
    const answer of [
      await limited.post("/api/v1/opt-outs", { phone: "081234567890" }),
      await limited.delete("/api/v1/opt-outs/081234567890"),
    ]
  ) {
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, "channel_limited");
  }

  for (
    const [body, field] of [
      [{}, "phone"],
      [{ phone: "" }, "phone"],
      [{ phone: 6281234567890 }, "phone"],
      [{ phone: "0812-ABCD-EFGH" }, "phone"],
      [{ phone: "08123456789", extra: 1 }, "extra"],
    ] as const
  ) {
    const wrong = await api.post("/api/v1/opt-outs", body);
    assert.equal(wrong.status, 422, JSON.stringify(body));
    assert.ok(field in wrong.body.error.details, JSON.stringify(wrong.body));
  }
  const badPath = await api.delete("/api/v1/opt-outs/not-a-number");
  assert.equal(badPath.status, 422);
  assert.ok("phone" in badPath.body.error.details);
  for (const query of ["limit=0", "cursor=xyz", `q=${"1".repeat(65)}`]) {
    assert.equal((await reader.get(`/api/v1/opt-outs?${query}`)).status, 422, query);
  }
  assert.equal((await reader.get("/api/v1/opt-outs?q=%25")).body.data.length, 0);
});

Deno.test("respect_opt_out: true refuses an opted-out number (409), by default it still sends", async () => {
  await using t = await startTestApp();
  await sandbox(t);
  const { api } = await apiKey(t, ["*"]);
  await api.post("/api/v1/opt-outs", { phone: "081234567890" });

  const refused = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    text: "Promo cek kesehatan",
    respect_opt_out: true,
  });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, "opted_out");
  assert.match(refused.body.error.message, /\+6281234567890 is on the opt-out list/);
  assert.equal(await queuedTo(t, "6281234567890"), 0, "nothing queued");

  const sent = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    text: "Hasil lab Anda sudah siap.",
  });
  assert.equal(sent.status, 202, "transactional messages still go");
  const explicit = await api.post("/api/v1/messages", {
    to: "0812-3456-7899",
    text: "Jadwal kontrol",
    respect_opt_out: true,
  });
  assert.equal(explicit.status, 202, "a number not on the list");
  const wrong = await api.post("/api/v1/messages", {
    to: "081234567890",
    text: "x",
    respect_opt_out: "yes",
  });
  assert.equal(wrong.status, 422);
  assert.ok("respect_opt_out" in wrong.body.error.details);

  const { rows } = await t.deps.db.$client.execute(
    "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = '6281234567890'",
  );
  const id = Number(rows[0].id);
  const inThread = await api.post(`/api/v1/conversations/${id}/messages`, {
    text: "Promo",
    respect_opt_out: true,
  });
  assert.equal(inThread.status, 409);
  assert.equal(inThread.body.error.code, "opted_out");
  const plain = await api.post(`/api/v1/conversations/${id}/messages`, { text: "Balasan" });
  assert.equal(plain.status, 202);
  assert.equal(await queuedTo(t, "6281234567890"), 2);
});
