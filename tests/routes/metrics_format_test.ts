/**
 * /metrics as `promtool check metrics` reads it: a strict parser of the
 * Prometheus text format (0.0.4) with promtool's lint rules, on a fresh start
 * and after some requests.
 */
import assert from "node:assert/strict";
import { BrowserClient } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";

interface Family {
  name: string;
  type: string;
  help: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"];

/** Go's strconv.ParseFloat as the Prometheus parser uses it. */
function parseValue(text: string, line: string): number {
  if (/^[+-]?inf$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  assert.match(text, /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, `a number: ${line}`);
  return Number(text);
}

/** Parses `name{a="1",b="2"}`; label values unescaped. */
function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = rest.match(/^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/);
    assert.ok(m, `well-formed labels: ${line}`);
    assert.match(m[1], LABEL, `a label name: ${line}`);
    assert.ok(!m[1].startsWith("__"), `no reserved label name: ${line}`);
    assert.ok(!(m[1] in labels), `a label once: ${line}`);
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c) => c === "n" ? "\n" : c);
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** The family a sample belongs to, given the families declared so far. */
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!sample.endsWith(suffix)) continue;
    const family = families.get(sample.slice(0, -suffix.length));
    if (family?.type === "histogram" || family?.type === "summary") return family;
  }
  return undefined;
}

/** Parses the exposition text, failing on anything promtool would reject or lint. */
function checkMetrics(text: string): Map<string, Family> {
  assert.ok(text.endsWith("\n"), "ends with a newline");
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | undefined;
  const lines = text.slice(0, -1).split("\n");
  for (const line of lines) {
    assert.notEqual(line.trim(), "", "no blank line");
    const meta = line.match(/^# (HELP|TYPE) (\S+) (.*)$/);
    if (meta) {
      const [, kind, name, rest] = meta;
      assert.match(name, NAME, `a metric name: ${line}`);
      let family = families.get(name);
      if (!family) {
        family = { name, type: "", help: "", samples: [] };
        families.set(name, family);
      } else {
        assert.equal(family, current, `the HELP and TYPE of ${name} together`);
        assert.equal(family.samples.length, 0, `TYPE and HELP of ${name} before its samples`);
      }
      if (kind === "HELP") {
        assert.equal(family.help, "", `HELP of ${name} once`);
        assert.notEqual(rest.trim(), "", `help text for ${name}`);
        family.help = rest;
      } else {
        assert.equal(family.type, "", `TYPE of ${name} once`);
        assert.ok(TYPES.has(rest), `a known type: ${line}`);
        family.type = rest;
      }
      current = family;
      continue;
    }
    assert.ok(!line.startsWith("#"), `no other comment: ${line}`);
    const m = line.match(/^([^\s{]+)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `a sample line: ${line}`);
    const [, name, labelText, valueText] = m;
    assert.match(name, NAME, `a metric name: ${line}`);
    const family = familyOf(name, families);
    assert.ok(family, `a sample of a declared family: ${line}`);
    assert.equal(family, current, `the samples of ${family.name} together: ${line}`);
    const labels = parseLabels(labelText ?? "", line);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    assert.ok(!seen.has(series), `a series once: ${line}`);
    seen.add(series);
    family.samples.push({ name, labels, value: parseValue(valueText, line) });
  }

  for (const family of families.values()) {
    const { name, type } = family;
    assert.ok(type !== "", `a TYPE for ${name}`);
    assert.ok(family.help !== "", `a HELP for ${name}`);
    // promtool's lint rules.
    assert.equal(name, name.toLowerCase(), `${name} in snake_case`);
    assert.doesNotMatch(name, /__|_$/, `${name} in snake_case`);
    if (type === "counter") assert.match(name, /_total$/, `counter ${name} ends in _total`);
    else assert.doesNotMatch(name, /_total$/, `non-counter ${name} has no _total`);
    assert.doesNotMatch(
      name,
      /(milliseconds|microseconds|nanoseconds|minutes|hours|days|kilobytes|megabytes|percent)/,
      `${name} in base units`,
    );
    for (const sample of family.samples) {
      if (type === "counter") {
        assert.ok(sample.value >= 0, `counter ${name} not negative`);
      }
      if (type !== "histogram") {
        assert.equal(sample.name, name, `${sample.name} named as its family`);
        assert.ok(!("le" in sample.labels), `le only on buckets: ${name}`);
      }
    }
    if (type === "histogram") checkHistogram(family);
  }
  return families;
}

function checkHistogram(family: Family): void {
  const byLabels = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const { name, labels, value } of family.samples) {
    const { le, ...rest } = labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const series = byLabels.get(key) ?? { buckets: [] };
    byLabels.set(key, series);
    if (name === `${family.name}_bucket`) {
      assert.ok(le !== undefined, `${name} has le`);
      series.buckets.push([parseValue(le, name), value]);
    } else {
      assert.equal(le, undefined, `no le on ${name}`);
      if (name === `${family.name}_sum`) series.sum = value;
      else if (name === `${family.name}_count`) series.count = value;
      else assert.fail(`${name} is not part of histogram ${family.name}`);
    }
  }
  for (const [labels, { buckets, sum, count }] of byLabels) {
    const where = `${family.name}${labels}`;
    assert.ok(buckets.length > 0, `${where} has buckets`);
    assert.ok(sum !== undefined, `${where} has _sum`);
    assert.ok(count !== undefined, `${where} has _count`);
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(buckets[i][0] > buckets[i - 1][0], `${where} buckets in ascending le`);
      assert.ok(buckets[i][1] >= buckets[i - 1][1], `${where} buckets cumulative`);
    }
    const last = buckets.at(-1)!;
    assert.equal(last[0], Infinity, `${where} ends with le="+Inf"`);
    assert.equal(last[1], count, `${where}: the +Inf bucket equals _count`);
  }
}

async function scrape(t: TestApp): Promise<Map<string, Family>> {
  const res = await t.app.request("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  return checkMetrics(await res.text());
}

const EVERY_FAMILY: Record<string, string> = {
  kabar_http_requests_total: "counter",
  kabar_http_request_duration_seconds: "histogram",
  kabar_login_failures_total: "counter",
  kabar_messages_sent_total: "counter",
  kabar_send_failures_total: "counter",
  kabar_send_seconds: "histogram",
  kabar_webhook_attempts_total: "counter",
  kabar_login_sessions: "gauge",
  kabar_build_info: "gauge",
  kabar_disk_free_bytes: "gauge",
  kabar_disk_writes_refused: "gauge",
  kabar_outbox_messages: "gauge",
  kabar_webhook_backlog: "gauge",
  kabar_channels: "gauge",
  kabar_channel_state: "gauge",
  process_resident_memory_bytes: "gauge",
  deno_heap_used_bytes: "gauge",
  process_start_time_seconds: "gauge",
  process_open_fds: "gauge",
  kabar_event_loop_lag_seconds: "gauge",
};

Deno.test("a fresh Kabar shows every metric family, its plain counters at 0", async () => {
  await using t = await startTestApp();
  const families = await scrape(t);
  for (const [name, type] of Object.entries(EVERY_FAMILY)) {
    assert.equal(families.get(name)?.type, type, `${name} is a ${type}`);
  }
  assert.equal(families.get("kabar_http_requests_total")!.samples.length, 0, "none answered yet");
  assert.deepEqual(families.get("kabar_login_failures_total")!.samples, [
    { name: "kabar_login_failures_total", labels: {}, value: 0 },
  ]);
  const one = (name: string) => families.get(name)!.samples[0].value;
  assert.ok(one("process_resident_memory_bytes") > 1_000_000);
  assert.ok(one("deno_heap_used_bytes") > 0);
  const started = one("process_start_time_seconds");
  assert.ok(started <= Date.now() / 1000 && started > Date.now() / 1000 - 3600, `${started}`);
  if (Deno.build.os === "linux") assert.ok(one("process_open_fds") >= 3);
  assert.ok(one("kabar_event_loop_lag_seconds") >= 0);
});

Deno.test("after requests /metrics is still valid, with the latency histogram by method, route and status", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  await browser.signIn("siti", "wrong password");
  await browser.signIn("siti", TEST_PASSWORD);
  await browser.get("/inbox");
  await browser.get("/inbox");
  await t.app.request("/api/v1/messages", { method: "POST" }); // no key: 401
  await t.app.request("/healthz", { method: "BREW" });
  await scrape(t);
  const families = await scrape(t);
  const samples = families.get("kabar_http_request_duration_seconds")!.samples;
  const inbox = { method: "GET", route: "/inbox", status: "200" };
  const of = (suffix: string, labels: Record<string, string>) =>
    samples.find((s) =>
      s.name === `kabar_http_request_duration_seconds${suffix}` &&
      JSON.stringify(Object.entries(s.labels).sort()) ===
        JSON.stringify(Object.entries(labels).sort())
    )?.value;
  assert.equal(of("_count", inbox), 2);
  assert.equal(of("_bucket", { ...inbox, le: "+Inf" }), 2);
  assert.equal(of("_bucket", { ...inbox, le: "10" }), 2);
  assert.ok(of("_bucket", { ...inbox, le: "0.005" }) !== undefined, "a 5 ms bucket");
  assert.ok(of("_count", { method: "POST", route: "/login", status: "401" }) === 1);
  assert.ok(of("_count", { method: "other", route: "/healthz", status: "405" }) === 1);
  assert.equal(families.get("kabar_http_request_seconds_total"), undefined, "replaced");
  assert.deepEqual(families.get("kabar_login_failures_total")!.samples.map((s) => s.value), [1]);
});

Deno.test("each channel's and webhook's counters are at 0 before their first increase", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Latihan" });
  const { api } = await apiKey(t);
  const hook = await api.post("/api/v1/webhooks", { url: "https://lab.example.com/hook" });
  assert.equal(hook.status, 201);
  const families = await scrape(t);
  const series = (name: string) =>
    families.get(name)!.samples.map((s) => `${JSON.stringify(s.labels)} ${s.value}`).sort();
  const c = String(channel.id);
  assert.deepEqual(series("kabar_messages_sent_total"), [`{"channel":"${c}"} 0`]);
  assert.deepEqual(series("kabar_send_failures_total"), [
    `{"channel":"${c}","final":"false"} 0`,
    `{"channel":"${c}","final":"true"} 0`,
  ]);
  const w = String(hook.body.id);
  assert.deepEqual(series("kabar_webhook_attempts_total"), [
    `{"webhook":"${w}","result":"delivered"} 0`,
    `{"webhook":"${w}","result":"given_up"} 0`,
    `{"webhook":"${w}","result":"retry"} 0`,
  ]);
});

Deno.test("the checker rejects what promtool rejects", () => {
  const bad = [
    "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n# HELP a_total A.\n",
    "# HELP requests A.\n# TYPE requests counter\nrequests 1\n",
    "# HELP lagMs A.\n# TYPE lagMs gauge\nlagMs 1\n",
    "x 1\n",
    '# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
    '# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_sum 1\nh_count 2\n',
    '# HELP g G.\n# TYPE g gauge\ng{a="1"} 1\ng{a="1"} 2\n',
    "# HELP g G.\n# TYPE g gauge\ng 1",
  ];
  for (const text of bad) assert.throws(() => checkMetrics(text), text);
  checkMetrics(
    '# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n',
  );
});
