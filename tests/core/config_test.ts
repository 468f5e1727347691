import assert from "node:assert/strict";
import { ConfigError, parseConfig, SETTING_FLAGS } from "../../core/config.ts";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `a ConfigError, got ${e}`);
    return e;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("with nothing set, Kabar listens on 8080 and keeps its data in ./kabar-data", () => {
  const config = parseConfig({}, {}, "/srv/kabar");
  assert.deepEqual(config, {
    port: 8080,
    host: "0.0.0.0",
    dataDir: "/srv/kabar/kabar-data",
    dbUrl: "file:/srv/kabar/kabar-data/kabar.db",
    dbAuthToken: undefined,
    secretKey: undefined,
    baseUrl: undefined,
    logLevel: "info",
    trustProxy: false,
    secureCookies: false,
    telegramApiRoot: "https://api.telegram.org",
    mediaMaxBytes: 16 * 1024 * 1024,
    webhookTimeoutMs: 10_000,
    webhookRetryMs: 24 * 3_600_000,
    timeZone: "Asia/Jakarta",
    phoneRegion: "ID",
    corsOrigins: [],
    metricsToken: undefined,
  });
});

Deno.test("the phone region is a two-letter region code, by variable or flag", () => {
  assert.equal(parseConfig({ KABAR_PHONE_REGION: "my" }).phoneRegion, "MY");
  assert.equal(parseConfig({ KABAR_PHONE_REGION: "MY" }, { phoneRegion: "sg" }).phoneRegion, "SG");
  assert.equal(SETTING_FLAGS.get("--phone-region"), "phoneRegion");
  const unknown = configError(() => parseConfig({ KABAR_PHONE_REGION: "XX" }));
  assert.equal(unknown.setting, "KABAR_PHONE_REGION");
  assert.equal(unknown.value, "XX");
  assert.match(unknown.message, /^KABAR_PHONE_REGION="XX" is not valid: "XX" is not a region/);
  const dialCode = configError(() => parseConfig({}, { phoneRegion: "62" }));
  assert.equal(dialCode.setting, "--phone-region");
  assert.match(dialCode.message, /the two-letter ISO 3166 code .* e\.g\. ID, MY or SG/);
});

Deno.test("the time zone and the CORS origins are checked", () => {
  const config = parseConfig({
    KABAR_TIMEZONE: "Asia/Makassar",
    KABAR_CORS_ORIGINS: "https://shop.example.com, http://localhost:3000",
  });
  assert.equal(config.timeZone, "Asia/Makassar");
  assert.deepEqual(config.corsOrigins, ["https://shop.example.com", "http://localhost:3000"]);
  assert.throws(() => parseConfig({ KABAR_TIMEZONE: "Mars/Olympus" }), /KABAR_TIMEZONE/);
  assert.throws(
    () => parseConfig({ KABAR_CORS_ORIGINS: "shop.example.com/page" }),
    /KABAR_CORS_ORIGINS="shop.example.com\/page" is not valid/,
  );
});

Deno.test("settings come from the environment; an empty variable counts as unset", () => {
  const config = parseConfig(
    {
      KABAR_PORT: "9000",
      KABAR_HOST: "127.0.0.1",
      KABAR_DATA_DIR: "/var/lib/kabar",
      KABAR_LOG_LEVEL: "debug",
      KABAR_TRUST_PROXY: "1",
      KABAR_SECRET_KEY: "k".repeat(32),
      KABAR_BASE_URL: "",
    },
    {},
    "/",
  );
  assert.equal(config.port, 9000);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.dataDir, "/var/lib/kabar");
  assert.equal(config.dbUrl, "file:/var/lib/kabar/kabar.db");
  assert.equal(config.logLevel, "debug");
  assert.equal(config.trustProxy, true);
  assert.equal(config.secretKey, "k".repeat(32));
  assert.equal(config.baseUrl, undefined);
});

Deno.test("a flag wins over the environment", () => {
  const config = parseConfig(
    { KABAR_PORT: "9000", KABAR_LOG_LEVEL: "debug", KABAR_DATA_DIR: "/env" },
    { port: "9100", logLevel: "warn", dataDir: "/flag" },
    "/",
  );
  assert.equal(config.port, 9100);
  assert.equal(config.logLevel, "warn");
  assert.equal(config.dataDir, "/flag");
  assert.equal(config.dbUrl, "file:/flag/kabar.db");
});

Deno.test("a relative data dir is made absolute against the working directory", () => {
  assert.equal(
    parseConfig({ KABAR_DATA_DIR: "data" }, {}, "/opt/kabar").dataDir,
    "/opt/kabar/data",
  );
  assert.equal(
    parseConfig({ KABAR_DATA_DIR: "./a/../b/./c/" }, {}, "/opt/kabar/").dataDir,
    "/opt/kabar/b/c",
  );
  assert.equal(
    parseConfig({ KABAR_DATA_DIR: "../shared" }, {}, "/opt/kabar").dataDir,
    "/opt/shared",
  );
  assert.equal(parseConfig({ KABAR_DATA_DIR: "/abs//dir/" }, {}, "/opt").dataDir, "/abs/dir");
  assert.equal(
    parseConfig({ KABAR_DATA_DIR: "data" }, {}, "/opt/kabar").dbUrl,
    "file:/opt/kabar/data/kabar.db",
  );
});

Deno.test("a database URL is used as given, the data dir still holds the rest", () => {
  const remote = parseConfig(
    { KABAR_DB_URL: "libsql://kabar.rs.local:8080", KABAR_DB_AUTH_TOKEN: "tok" },
    {},
    "/srv",
  );
  assert.equal(remote.dbUrl, "libsql://kabar.rs.local:8080");
  assert.equal(remote.dbAuthToken, "tok");
  assert.equal(remote.dataDir, "/srv/kabar-data");
  for (
    const url of ["file:/tmp/k.db", "http://127.0.0.1:8081", "https://db.example.org", "wss://x"]
  ) {
    assert.equal(parseConfig({ KABAR_DB_URL: url }).dbUrl, url);
  }
});

Deno.test("cookies are Secure only when the base URL is https", () => {
  const secure = (baseUrl?: string) =>
    parseConfig(baseUrl === undefined ? {} : { KABAR_BASE_URL: baseUrl }).secureCookies;
  assert.equal(secure(), false);
  assert.equal(secure("http://kabar.rs.local"), false);
  assert.equal(secure("http://kabar.rs.local/https:"), false);
  assert.equal(secure("https://kabar.rs.local"), true);
  assert.equal(secure("HTTPS://kabar.rs.local"), true, "the scheme is not case-sensitive");
  assert.equal(
    parseConfig({ KABAR_BASE_URL: "https://kabar.rs.local/kabar//" }).baseUrl,
    "https://kabar.rs.local/kabar",
    "trailing slashes are dropped",
  );
});

Deno.test("port 0 asks for a free port; 1 to 65535 are used as given", () => {
  assert.equal(parseConfig({ KABAR_PORT: "0" }).port, 0);
  assert.equal(parseConfig({ KABAR_PORT: "1" }).port, 1);
  assert.equal(parseConfig({}, { port: "65535" }).port, 65535);
});

Deno.test("each wrong setting is a ConfigError that names it, its value and what is allowed", () => {
  const cases: Array<{
    env?: Record<string, string>;
    flags?: Record<string, string>;
    setting: string;
    allowed: RegExp;
  }> = [
    { env: { KABAR_PORT: "abc" }, setting: "KABAR_PORT", allowed: /1 to 65535/ },
    { env: { KABAR_PORT: "65536" }, setting: "KABAR_PORT", allowed: /1 to 65535/ },
    { env: { KABAR_PORT: "-1" }, setting: "KABAR_PORT", allowed: /1 to 65535/ },
    { env: { KABAR_PORT: "80.5" }, setting: "KABAR_PORT", allowed: /1 to 65535/ },
    { env: { KABAR_PORT: "0x50" }, setting: "KABAR_PORT", allowed: /1 to 65535/ },
    { env: { KABAR_PORT: " " }, setting: "KABAR_PORT", allowed: /1 to 65535/ },
    { flags: { port: "" }, setting: "--port", allowed: /1 to 65535/ },
    { flags: { port: "70000" }, setting: "--port", allowed: /1 to 65535/ },
    { env: { KABAR_HOST: "bad host" }, setting: "KABAR_HOST", allowed: /IP address or host name/ },
    { flags: { dataDir: "" }, setting: "--data-dir", allowed: /folder/ },
    { env: { KABAR_DB_URL: "mysql://x" }, setting: "KABAR_DB_URL", allowed: /file:PATH/ },
    { env: { KABAR_DB_URL: "kabar.db" }, setting: "KABAR_DB_URL", allowed: /libsql:\/\// },
    { env: { KABAR_BASE_URL: "ftp://x" }, setting: "KABAR_BASE_URL", allowed: /https?:\/\// },
    { flags: { baseUrl: "kabar.local" }, setting: "--base-url", allowed: /https?:\/\// },
    { env: { KABAR_LOG_LEVEL: "verbose" }, setting: "KABAR_LOG_LEVEL", allowed: /debug, info/ },
    {
      env: { KABAR_TRUST_PROXY: "yes" },
      setting: "KABAR_TRUST_PROXY",
      allowed: /"yes" is not an IP address or CIDR range; use false \(no proxy\), true/,
    },
    { env: { KABAR_SECRET_KEY: "short" }, setting: "KABAR_SECRET_KEY", allowed: /32 characters/ },
  ];
  for (const c of cases) {
    const label = JSON.stringify(c.env ?? c.flags);
    const error = configError(() => parseConfig(c.env ?? {}, c.flags ?? {}, "/"));
    assert.equal(error.setting, c.setting, label);
    assert.ok(error.message.startsWith(`${c.setting}=`), `${label}: ${error.message}`);
    assert.match(error.message, c.allowed, label);
    assert.doesNotMatch(error.message, /\n/, `${label}: one line`);
    const value = Object.values(c.env ?? c.flags ?? {})[0];
    if (c.setting !== "KABAR_SECRET_KEY") {
      assert.ok(error.message.includes(JSON.stringify(value)), `${label}: names the value`);
    }
  }
});

Deno.test("a wrong secret key is named but never printed", () => {
  const secret = configError(() => parseConfig({ KABAR_SECRET_KEY: "hunter2-hunter2" }));
  assert.match(secret.message, /^KABAR_SECRET_KEY=/);
  assert.match(secret.message, /15 characters/);
  assert.doesNotMatch(secret.message, /hunter2/);
  assert.doesNotMatch(secret.value, /hunter2/);
});

Deno.test("KABAR_TELEGRAM_API_ROOT points Telegram bots at another Bot API server", () => {
  const config = parseConfig({ KABAR_TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" }, {}, "/");
  assert.equal(config.telegramApiRoot, "http://127.0.0.1:8081");
  assert.throws(
    () => parseConfig({ KABAR_TELEGRAM_API_ROOT: "api.telegram.org" }, {}, "/"),
    /KABAR_TELEGRAM_API_ROOT="api.telegram.org" is not valid: the http:\/\/ or https:\/\/ URL/,
  );
});

Deno.test("KABAR_METRICS_TOKEN is at least 16 characters, from env or --metrics-token, never printed", () => {
  const token = "prometheus-scrape-7f3a";
  assert.equal(parseConfig({ KABAR_METRICS_TOKEN: token }).metricsToken, token);
  assert.equal(parseConfig({}, { metricsToken: token }).metricsToken, token);
  assert.equal(parseConfig({ KABAR_METRICS_TOKEN: "" }).metricsToken, undefined, "empty: unset");
  assert.equal(SETTING_FLAGS.get("--metrics-token"), "metricsToken");
  const short = configError(() => parseConfig({ KABAR_METRICS_TOKEN: "scrape-me-now" }));
  assert.equal(short.setting, "KABAR_METRICS_TOKEN");
  assert.match(short.message, /at least 16 characters/);
  assert.match(short.message, /13 characters/);
  assert.doesNotMatch(short.message, /scrape-me-now/);
  const flag = configError(() => parseConfig({}, { metricsToken: "x" }));
  assert.equal(flag.setting, "--metrics-token");
});

Deno.test("KABAR_TRUST_PROXY takes true, false, or the proxies' addresses and ranges", () => {
  assert.equal(parseConfig({ KABAR_TRUST_PROXY: "true" }).trustProxy, true);
  assert.equal(parseConfig({ KABAR_TRUST_PROXY: "0" }).trustProxy, false);
  assert.deepEqual(
    parseConfig({ KABAR_TRUST_PROXY: "10.0.0.5, 192.168.10.0/24,fd00::/8" }).trustProxy,
    ["10.0.0.5", "192.168.10.0/24", "fd00::/8"],
  );
  assert.deepEqual(parseConfig({}, { trustProxy: "127.0.0.1" }).trustProxy, ["127.0.0.1"]);
  assert.equal(SETTING_FLAGS.get("--trust-proxy"), "trustProxy");

  const wrong = configError(() =>
    parseConfig({ KABAR_TRUST_PROXY: "10.0.0.5,proxy.rs.local,10.0.0.6" })
  );
  assert.equal(wrong.setting, "KABAR_TRUST_PROXY");
  assert.match(wrong.message, /^KABAR_TRUST_PROXY="10.0.0.5,proxy.rs.local,10.0.0.6" is not valid/);
  assert.match(wrong.message, /"proxy.rs.local" is not an IP address or CIDR range/);
  const range = configError(() => parseConfig({}, { trustProxy: "10.0.0.0/40" }));
  assert.equal(range.setting, "--trust-proxy");
  assert.match(range.message, /"10.0.0.0\/40" is not an IP address or CIDR range/);
  const empty = configError(() => parseConfig({ KABAR_TRUST_PROXY: "10.0.0.5,,10.0.0.6" }));
  assert.match(empty.message, /an entry is empty/);
  const everyone = configError(() => parseConfig({ KABAR_TRUST_PROXY: "10.0.0.5,0.0.0.0/0" }));
  assert.match(
    everyone.message,
    /"0.0.0.0\/0" would trust every address \(use true for one proxy\)/,
  );
});
