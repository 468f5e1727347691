/** Settings → Webhooks: add (secret once), the delivery log, send again, pause and delete. */
import assert from "node:assert/strict";
import { waitUntil } from "../support/wait_until.ts";
import { visibleText } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";
import { sandbox } from "../support/sandbox.ts";

Deno.test("an admin adds a webhook, reads its delivery log, sends one again, pauses and deletes it", async () => {
  const received: string[] = [];
  await using receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    received.push(req.headers.get("x-kabar-delivery")!);
    return new Response("terima kasih");
  });
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/webhooks");
  const wrong = await admin.post("/settings/webhooks", { url: "ftp://x", events: [] });
  assert.equal(wrong.status, 422);
  assert.match(visibleText(wrong.text), /Enter an http:\/\/ or https:\/\/ address/);
  assert.match(visibleText(wrong.text), /Choose at least one event/);

  const url = `http://hooks.example:${receiver.addr.port}/events`;
  const added = await admin.post("/settings/webhooks", { url, events: ["channel.status"] });
  assert.match(added.text, /value="whsec_[A-Za-z0-9+/]+"/);
  await sandbox(t, { name: "S" });
  await waitUntil(() => received.length === 2, "connecting, then connected");
  const recorded = async () =>
    Number(
      (await t.deps.db.$client.execute(
        "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivered'",
      )).rows[0].n,
    );
  await waitUntil(async () => await recorded() === 2, "both deliveries recorded");

  const list = visibleText((await admin.get("/settings/webhooks")).text);
  assert.match(list, /0 waiting · 0 given up/);
  const log = await admin.get("/settings/webhooks/1");
  assert.match(
    visibleText(log.text),
    /a channel connected or disconnected channel #1 delivered 200 terima kasih 1/,
    "the event in the page's words, and which channel it was about",
  );
  await admin.post(`/settings/webhooks/1/deliveries/${received[0]}/redeliver`);
  await waitUntil(() => received.length === 3, "the delivery sent again");
  assert.equal(received[2], received[0], "sent again under the same delivery id");

  await admin.post("/settings/webhooks/1/pause");
  assert.match(visibleText((await admin.get("/settings/webhooks")).text), /paused/);
  await admin.post("/settings/webhooks/1/delete");
  assert.match(visibleText((await admin.get("/settings/webhooks")).text), /No webhooks yet/);
});

Deno.test("the delivery log says when a failed delivery is tried again, and what waits behind it", async () => {
  let answered = 0;
  await using receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    answered++;
    return new Response("sedang perbaikan", { status: 503 });
  });
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/webhooks");
  const url = `http://hooks.example:${receiver.addr.port}/events`;
  await admin.post("/settings/webhooks", { url, events: ["channel.status"] });
  // Two events of one channel: the second waits until the first is done.
  await sandbox(t, { name: "S" });
  await waitUntil(async () =>
    answered === 1 && Number(
        (await t.deps.db.$client.execute(
          "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'",
        )).rows[0].n,
      ) === 2
  );
  const log = visibleText((await admin.get("/settings/webhooks/1")).text);
  assert.match(
    log,
    /a channel connected or disconnected channel #1 waiting 503 .*sedang perbaikan 1 next try/,
  );
  assert.match(log, /a channel connected or disconnected waiting 0 after the event before it/);
});
