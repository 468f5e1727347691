/**
 * What `kabar serve` prints is what Loki or Elasticsearch ingest: JSON lines
 * only, on both streams, each key with one type across all lines.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startKabar } from "../support/kabar_process.ts";

const MAIN_TS = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Runs a `kabar` command on `dataDir`; its last line of output. */
async function kabarCommand(dataDir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN_TS, ...args],
    env: { KABAR_DATA_DIR: dataDir },
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
  return text.trim().split("\n").at(-1)!;
}

/** The JSON type of `value` as a log store maps it. */
function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "float";
  return typeof value;
}

/** Every key path of `entry` (`error.message`) with its type. */
function keyTypes(entry: unknown, prefix = "", out = new Map<string, string>()) {
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    const path = prefix + key;
    out.set(path, typeOf(value));
    if (typeOf(value) === "object") keyTypes(value, `${path}.`, out);
  }
  return out;
}

Deno.test("kabar serve prints only JSON lines, each key with one type, and says where to start", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kabar-logs-" });
  try {
    // Two sandbox channels (their status lines) and a key to send with.
    await kabarCommand(dataDir, "demo", "seed", "--contacts", "0", "--messages", "0");
    const key = await kabarCommand(
      dataDir,
      "apikey",
      "create",
      "--name",
      "SIMRS",
      "--scopes",
      "messages:send",
    );
    const kabar = await startKabar(dataDir);
    let output: string;
    try {
      assert.equal((await fetch(`${kabar.url}/healthz`)).status, 200);
      await (await fetch(`${kabar.url}/healthz`)).body?.cancel();
      const setup = await fetch(`${kabar.url}/setup`);
      assert.equal(setup.status, 200);
      await setup.body?.cancel();
      const refused = await fetch(`${kabar.url}/api/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "kbr_not_a_key" },
        body: "{}",
      });
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
      const sent = await fetch(`${kabar.url}/api/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ to: "081234567890", text: "Pengingat kontrol" }),
      });
      assert.equal(sent.status, 202, await sent.clone().text());
      await sent.body?.cancel();
      const missing = await fetch(`${kabar.url}/static/app.00000000.css`);
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    } finally {
      await kabar.stop();
      output = kabar.output();
    }

    const lines = output.split("\n").filter((l) => l !== "");
    const entries = lines.map((line) => {
      try {
        const entry = JSON.parse(line);
        assert.equal(typeOf(entry), "object", line);
        return entry as Record<string, unknown>;
      } catch {
        assert.fail(`not a JSON line: ${line}\n--- all output:\n${output}`);
      }
    });

    const types = new Map<string, { type: string; line: string }>();
    for (const [i, entry] of entries.entries()) {
      for (const [key, type] of keyTypes(entry)) {
        assert.match(key, /^[a-z0-9_.]+$/, `snake_case key ${key} in ${lines[i]}`);
        const first = types.get(key);
        if (!first) types.set(key, { type, line: lines[i] });
        else {
          assert.equal(
            type,
            first.type,
            `${key} is ${first.type} in ${first.line}\nbut ${type} in ${lines[i]}`,
          );
        }
      }
      if ("error" in entry) assert.equal(typeOf(entry.error), "object", lines[i]);
    }

    const listening = entries.find((e) => e.msg === "listening")!;
    assert.ok(listening, output);
    assert.equal(
      listening.open_url,
      `${kabar.url}/setup`,
      "a new install leads to the administrator",
    );
    const requests = entries.filter((e) => e.msg === "request");
    const statuses = requests.map((e) => e.http_status);
    assert.ok(statuses.includes(401) && statuses.includes(404), JSON.stringify(statuses));
    for (const r of requests) {
      assert.equal(r.status, undefined);
      assert.equal(r.client_ip, "127.0.0.1");
    }
    assert.ok(requests.some((r) => r.key_name === "SIMRS" && r.http_status === 202), output);
    assert.ok(entries.some((e) => e.msg === "channel status" && e.channel_status === "connected"));
    assert.doesNotMatch(output, /kbr_not_a_key/, "never the key");
    assert.ok(!output.includes(key), "never the key");
    assert.ok(entries.some((e) => e.msg === "stopped"), output);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
