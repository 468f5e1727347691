/**
 * The tree's rules, read from the source: which folder may import which, and
 * that routes leave side effects (events, starting and stopping channels,
 * waking workers, forgetting caches) to the services.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/** Folders each folder may import from (besides itself and npm packages). */
const MAY_IMPORT: Record<string, string[]> = {
  core: [],
  db: ["core", "migrations"],
  sessions: ["core", "db"],
  services: ["core", "db", "sessions"],
  routes: ["core", "db", "services", "views"],
  views: ["core"],
};

/** In routes, a type from sessions is fine (the workers are reached through `Deps`). */
const TYPE_ONLY_FROM: Record<string, string[]> = { routes: ["sessions"] };

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "static") yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

/** Each `import … from "…"` of a file (and `export … from`), with whether it is type-only. */
function importsOf(source: string): { spec: string; typeOnly: boolean }[] {
  const found = [];
  const pattern = /^(import|export)\s+(type\s+)?[^;]*?\sfrom\s+"([^"]+)"/gms;
  for (const m of source.matchAll(pattern)) {
    found.push({ spec: m[3], typeOnly: m[2] !== undefined });
  }
  for (const m of source.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) {
    found.push({ spec: m[1], typeOnly: false });
  }
  return found;
}

Deno.test("each folder imports only from the folders below it", async () => {
  const broken: string[] = [];
  for (const [folder, allowed] of Object.entries(MAY_IMPORT)) {
    for await (const file of sourceFiles(join(ROOT, folder))) {
      for (const { spec, typeOnly } of importsOf(await Deno.readTextFile(file))) {
        if (!spec.startsWith(".")) continue;
        const target = relative(ROOT, join(file, "..", spec)).split("/")[0];
        if (target === folder || allowed.includes(target)) continue;
        if (typeOnly && TYPE_ONLY_FROM[folder]?.includes(target)) continue;
        broken.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

/** What only a service (or a worker) may do. */
const SIDE_EFFECTS: [RegExp, string][] = [
  [/\.publish\(/, "publishes an event"],
  [
    /registry\.(start|stop|logout|requestPairingCode|simulateInbound)\(/,
    "starts or stops a channel",
  ],
  [/\.(outbox|webhooks)\.(wake|forget)\(/, "wakes or clears a worker"],
  [/\.apiKeys\.clear\(/, "clears the API key cache"],
  [/channelRefs\.forget\(/, "clears the channel cache"],
];

Deno.test("routes leave events, channels, workers and caches to the services", async () => {
  const found: string[] = [];
  for await (const file of sourceFiles(join(ROOT, "routes"))) {
    const lines = (await Deno.readTextFile(file)).split("\n");
    lines.forEach((line, i) => {
      for (const [pattern, what] of SIDE_EFFECTS) {
        if (pattern.test(line)) found.push(`${relative(ROOT, file)}:${i + 1} ${what}`);
      }
    });
  }
  assert.deepEqual(found, []);
});
