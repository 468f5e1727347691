import assert from "node:assert/strict";
import { apiKey } from "./api_key.ts";
import { recordEvents } from "./record_events.ts";
import { sandbox } from "./sandbox.ts";
import { signedIn } from "./signed_in.ts";
import { startTestApp } from "./test_app.ts";

Deno.test("a test app is closed at the end of its scope, and closing twice is closing once", async () => {
  let dir = "";
  {
    await using t = await startTestApp();
    dir = t.dir;
    await t.close();
  }
  await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
});

Deno.test("apiKey makes a working key with its scopes; signedIn signs in a new account of a role", async () => {
  await using t = await startTestApp();
  const reader = await apiKey(t, ["channels:read"], { name: "SIMRS" });
  assert.match(reader.key, /^kbr_/);
  assert.equal(reader.apiKey.name, "SIMRS");
  assert.equal((await reader.api.get("/api/v1/channels")).status, 200);
  assert.equal((await reader.api.post("/api/v1/messages", { to: "0812", text: "x" })).status, 403);

  const admin = await signedIn(t, "admin");
  const second = await signedIn(t, "admin");
  assert.deepEqual([admin.user.username, second.user.username], ["admin", "admin2"]);
  assert.equal((await admin.get("/settings/users")).status, 200);
  const agent = await signedIn(t, "agent");
  assert.equal((await agent.get("/settings/users")).status, 403);
});

Deno.test("sandbox starts a channel, and recordEvents sees what it publishes", async () => {
  await using t = await startTestApp();
  using seen = recordEvents(t);
  const channel = await sandbox(t, { name: "Latihan" });
  assert.equal(channel.name, "Latihan");
  assert.deepEqual(seen.of("channel.status").map((e) => [e.channelId, e.status]).at(-1), [
    channel.id,
    "connected",
  ]);
  seen.clear();
  assert.deepEqual(seen.types(), []);
  const stopped = await sandbox(t, { start: false });
  assert.deepEqual(seen.of("channel.status").filter((e) => e.channelId === stopped.id), []);
});
