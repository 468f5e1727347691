/**
 * Two Kabar processes on one database file, as the README allows: a message
 * queued through one process on a channel the other runs is sent by the
 * other within 2 s.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type Kabar, startKabar } from "../support/kabar_process.ts";
import { waitUntil } from "../support/wait_until.ts";

const MAIN_TS = fileURLToPath(new URL("../../main.ts", import.meta.url));

async function cli(env: Record<string, string>, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN_TS, ...args],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
}

Deno.test("a message queued through one process is sent by the process that runs its channel", async () => {
  const root = await Deno.makeTempDir({ prefix: "kabar-two-" });
  const shared = {
    KABAR_DB_URL: `file:${root}/shared.db`,
    KABAR_SECRET_KEY: "a-secret-key-both-processes-share-0123456789",
  };
  const processes: Kabar[] = [];
  const stops: [Deno.CommandStatus, string][] = [];
  try {
    const key = await cli(
      { ...shared, KABAR_DATA_DIR: `${root}/a` },
      "apikey",
      "create",
      "--name",
      "SIMRS",
      "--scopes",
      "*",
      // The test asks for the status as fast as it can.
      "--rate-limit",
      "0",
    );
    const a = await startKabar(`${root}/a`, shared);
    processes.push(a);
    const call = async (kabar: Kabar, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${kabar.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const channel = await call(a, "POST", "/api/v1/channels", { kind: "sandbox", name: "Uji" });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    await waitUntil(
      async () =>
        (await call(a, "GET", `/api/v1/channels/${channel.body.id}`)).body.status === "connected",
      "the sandbox to connect",
    );

    const b = await startKabar(`${root}/b`, shared);
    processes.push(b);
    // B does not run the channel: A holds it.
    assert.equal(
      (await call(b, "GET", `/api/v1/channels/${channel.body.id}`)).body.status,
      "connected",
    );

    // Three sends, each once the one before is delivered (A has long gone idle by then): the
    // middle time is the figure, as a loaded machine may stall one of them.
    const statusOf = async (id: number) =>
      (await call(b, "GET", `/api/v1/messages/${id}`)).body.status;
    const times: number[] = [];
    for (const text of ["Hasil lab Anda sudah keluar", "Jadwal kontrol besok", "Terima kasih"]) {
      const queued = Date.now();
      const sent = await call(b, "POST", "/api/v1/messages", {
        channel: channel.body.id,
        to: "+62 812-3456-7890",
        type: "text",
        text,
      });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      await waitUntil(async () => (await statusOf(sent.body.id)) === "sent", "the send");
      times.push(Date.now() - queued);
      await waitUntil(async () => (await statusOf(sent.body.id)) === "delivered", "delivery");
    }
    const median = [...times].sort((x, y) => x - y)[1];
    assert.ok(median < 2_000, `sent after ${times.join(", ")} ms`);
  } finally {
    for (const kabar of processes.reverse()) stops.push([await kabar.stop(), kabar.output()]);
    await Deno.remove(root, { recursive: true });
  }
  for (const [stopped, output] of stops) {
    assert.equal(stopped.code, 0, `a clean stop on SIGTERM:\n${output}`);
  }
});
