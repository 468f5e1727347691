/**
 * A channel changed from the page or from the API is the same operation:
 * the same events reach open pages, and the channel starts or stops alike.
 */
import assert from "node:assert/strict";
import { apiKey } from "../support/api_key.ts";
import { recordEvents } from "../support/record_events.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp } from "../support/test_app.ts";

Deno.test("deleting a channel tells open pages alike from the page and from the API", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const { api } = await apiKey(t, ["channels:write"]);
  const byPage = await sandbox(t, { name: "Lewat halaman" });
  const byApi = await sandbox(t, { name: "Lewat API" });

  using seen = recordEvents(t);
  await admin.get(`/channels/${byPage.id}/delete`);
  const page = await admin.post(`/channels/${byPage.id}/delete`, { queued: "0" });
  assert.equal(page.status, 303);
  const answer = await api.delete(`/api/v1/channels/${byApi.id}`);
  assert.equal(answer.status, 200);

  const changed = seen.of("channel.changed").map((e) => e.channelId);
  assert.deepEqual(changed, [byPage.id, byApi.id]);
  assert.equal(t.deps.registry.live(byPage.id), undefined, "stopped");
  assert.equal(t.deps.registry.live(byApi.id), undefined, "stopped");
});

Deno.test("renaming and turning off a channel each tell open pages once", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const channel = await sandbox(t, { name: "Poli Anak" });
  await admin.get(`/channels/${channel.id}`);

  using seen = recordEvents(t);
  await admin.post(`/channels/${channel.id}/rename`, { name: "Poli Anak Lt. 2" });
  assert.deepEqual(seen.types(), ["channel.changed"]);
  seen.clear();
  await admin.post(`/channels/${channel.id}/disable`, {});
  assert.equal(seen.of("channel.changed").length, 1);
  assert.equal(t.deps.registry.live(channel.id), undefined, "the channel stopped");
});
