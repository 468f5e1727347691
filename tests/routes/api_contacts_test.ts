/**
 * /api/v1/contacts with real keys on a real database: find, read, add,
 * change, delete, merge, import an uploaded sheet and export CSV; a key
 * limited to one channel sees only the contacts it has a conversation with
 * and may not import, merge or delete.
 */
import assert from "node:assert/strict";
import { contactPageResponse, contactResponse } from "../../core/api_contacts.ts";
import type { ApiAnswer } from "../support/api_client.ts";
import { apiKey, type TestApiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp } from "../support/test_app.ts";

type Api = TestApiKey["api"];

function assertError(answer: ApiAnswer, status: number, code: string, field?: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code, JSON.stringify(answer.body));
  if (field) assert.ok(field in answer.body.error.details, JSON.stringify(answer.body));
  for (const value of Object.values(answer.body.error.details)) {
    assert.doesNotMatch(String(value), /^err\./, "details are sentences, not message keys");
  }
}

async function upload(api: Api, name: string, text: string): Promise<string> {
  const form = new FormData();
  form.append("file", new File([text], name, { type: "text/csv" }));
  form.append("type", "document");
  const answer = await api.post("/api/v1/media", form);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.id;
}

Deno.test("contacts: add, find, read, change, delete; errors name the field", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["*"], { name: "SIMRS" });
  const evil = "<script>alert(1)</script>";
  const made = await api.post("/api/v1/contacts", {
    name: evil,
    phone: "0812-3456-7890",
    email: "siti@example.com",
    attributes: { no_rm: "RM-001", umur: 31 },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  contactResponse.parse(made.body);
  assert.equal(made.body.phone, "6281234567890");
  assert.equal(made.body.name, evil);
  assert.deepEqual(made.body.attributes, { no_rm: "RM-001", umur: "31" });
  assertError(await api.post("/api/v1/contacts", { phone: "+62 812 3456 7890" }), 409, "conflict");
  assertError(await api.post("/api/v1/contacts", { name: "x" }), 422, "invalid_input", "phone");
  assertError(await api.post("/api/v1/contacts", { phone: "12" }), 422, "invalid_input", "phone");
  assertError(
    await api.post("/api/v1/contacts", { phone: "08129999", email: "nope" }),
    422,
    "invalid_input",
    "email",
  );
  assertError(await api.post("/api/v1/contacts", { phone: "0812", x: 1 }), 422, "invalid_input");

  const other = await api.post("/api/v1/contacts", { name: "Budi", phone: "0813-1111-2222" });
  const list = await api.get("/api/v1/contacts");
  contactPageResponse.parse(list.body);
  assert.deepEqual(
    list.body.data.map((c: { id: number }) => c.id).sort(),
    [
      made.body.id,
      other.body.id,
    ].sort(),
  );
  const found = await api.get("/api/v1/contacts?q=3456");
  assert.deepEqual(found.body.data.map((c: { id: number }) => c.id), [made.body.id]);
  const paged = await api.get("/api/v1/contacts?limit=1");
  assert.equal(paged.body.has_more, true);
  const next = await api.get(`/api/v1/contacts?limit=1&cursor=${paged.body.next_cursor}`);
  assert.notEqual(next.body.data[0].id, paged.body.data[0].id);
  assertError(await api.get("/api/v1/contacts?label=Nope"), 422, "invalid_input", "label");
  assertError(await api.get("/api/v1/contacts?limit=0"), 422, "invalid_input", "limit");
  assertError(await api.get("/api/v1/contacts?cursor=zz!"), 422, "invalid_input", "cursor");

  const got = await api.get(`/api/v1/contacts/${made.body.id}`);
  assert.equal(got.body.email, "siti@example.com");
  const changed = await api.patch(`/api/v1/contacts/${made.body.id}`, {
    name: "Siti",
    email: null,
  });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.name, "Siti");
  assert.equal(changed.body.email, null);
  assert.equal(changed.body.phone, "6281234567890");
  assertError(
    await api.patch(`/api/v1/contacts/${made.body.id}`, { phone: "0813-1111-2222" }),
    409,
    "conflict",
  );
  assertError(await api.get("/api/v1/contacts/999"), 404, "not_found");
  assertError(await api.patch("/api/v1/contacts/999", { name: "x" }), 404, "not_found");

  assertError(
    await api.post(`/api/v1/contacts/${made.body.id}/merge`, { into: other.body.id }),
    409,
    "conflict",
  );
  assertError(
    await api.post(`/api/v1/contacts/${made.body.id}/merge`, { into: made.body.id }),
    422,
    "invalid_input",
    "into",
  );
  assertError(
    await api.post(`/api/v1/contacts/${made.body.id}/merge`, { into: 999 }),
    422,
    "invalid_input",
    "into",
  );
  assert.equal((await api.delete(`/api/v1/contacts/${other.body.id}`)).status, 204);
  assertError(await api.get(`/api/v1/contacts/${other.body.id}`), 404, "not_found");

  const csv = await t.app.request("/api/v1/contacts/export.csv", {
    headers: { authorization: `Bearer ${(await apiKey(t, ["contacts:read"])).key}` },
  });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "a BOM for Excel");
  const text = new TextDecoder().decode(bytes);
  assert.match(text, /^id,name,push_name,phone/);
  assert.match(text, /6281234567890/);
});

Deno.test("contacts: import an uploaded CSV, each left-out row named", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["*"]);
  await api.post("/api/v1/contacts", { name: "Lama", phone: "0812-1000-0001" });
  const id = await upload(
    api,
    "pasien.csv",
    "Telepon,Nama,no_rm\n0812-1000-0001,Ani,RM1\n0812-1000-0002,Budi,RM2\nabc,Citra,RM3\n" +
      "0812-1000-0002,Budi lagi,RM4\n",
  );
  const bad = await api.post("/api/v1/contacts/import", {
    media_id: id,
    columns: { phone: "Nomor" },
  });
  assertError(bad, 422, "invalid_input", "columns.phone");
  const report = await api.post("/api/v1/contacts/import", {
    media_id: id,
    columns: { phone: "telepon", name: 1, attributes: { no_rm: "no_rm" } },
  });
  assert.equal(report.status, 200, JSON.stringify(report.body));
  assert.equal(report.body.created, 1);
  assert.equal(report.body.updated, 1);
  assert.deepEqual(
    report.body.skipped.map((s: { row: number; reason: string }) => [s.row, s.reason]),
    [[4, "phone"], [5, "duplicate"]],
  );
  const ani = await api.get("/api/v1/contacts?q=0812-1000-0001");
  assert.equal(ani.body.data[0].name, "Ani");
  assert.deepEqual(ani.body.data[0].attributes, { no_rm: "RM1" });
  assertError(
    await api.post("/api/v1/contacts/import", { media_id: "0".repeat(64), columns: { phone: 0 } }),
    422,
    "invalid_input",
    "media_id",
  );
});

Deno.test("a key limited to one channel sees its contacts only and may not import, merge or delete", async () => {
  await using t = await startTestApp();
  const one = await sandbox(t, { name: "Poli" });
  const two = await sandbox(t, { name: "Lab" });
  const { api } = await apiKey(t, ["*"]);
  await api.post(`/api/v1/sandbox/${one.id}/inbound`, { from: "0812-2000-0001", text: "Halo" });
  await api.post(`/api/v1/sandbox/${two.id}/inbound`, { from: "0812-2000-0002", text: "Halo" });
  const all = await api.get("/api/v1/contacts");
  const [mine, theirs] = ["6281220000001", "6281220000002"].map((phone) =>
    all.body.data.find((c: { phone: string }) => c.phone === phone).id
  );
  const limited = (await apiKey(t, ["contacts:*"], { channelId: one.id })).api;
  const list = await limited.get("/api/v1/contacts");
  assert.deepEqual(list.body.data.map((c: { id: number }) => c.id), [mine]);
  assert.equal((await limited.get(`/api/v1/contacts/${mine}`)).status, 200);
  assertError(await limited.get(`/api/v1/contacts/${theirs}`), 404, "not_found");
  assertError(await limited.delete(`/api/v1/contacts/${mine}`), 403, "channel_limited");
  assertError(
    await limited.post(`/api/v1/contacts/${mine}/merge`, { into: theirs }),
    403,
    "channel_limited",
  );
  assertError(
    await limited.post("/api/v1/contacts/import", {
      media_id: "0".repeat(64),
      columns: { phone: 0 },
    }),
    403,
    "channel_limited",
  );
  const reader = (await apiKey(t, ["contacts:read"])).api;
  assertError(await reader.post("/api/v1/contacts", { phone: "0812" }), 403, "missing_scope");
  assertError(await reader.delete(`/api/v1/contacts/${mine}`), 403, "missing_scope");
  const conversationsOnly = (await apiKey(t, ["conversations:*"])).api;
  assertError(await conversationsOnly.get("/api/v1/contacts"), 403, "missing_scope");
});
