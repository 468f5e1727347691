import assert from "node:assert/strict";
import { clientAddress, parseTrustProxy } from "../../core/client_address.ts";

const PEER = "10.20.0.1";

Deno.test("without a trusted proxy the socket's peer is the client, whatever the header says", () => {
  assert.equal(clientAddress(PEER, "198.51.100.7", false), PEER);
  assert.equal(clientAddress(PEER, undefined, false), PEER);
});

Deno.test("true trusts one proxy: the right-most entry is the client, the left-most is ignored", () => {
  assert.equal(clientAddress(PEER, "198.51.100.7", true), "198.51.100.7");
  assert.equal(clientAddress(PEER, "10.20.0.5, 198.51.100.7", true), "198.51.100.7");
  assert.equal(clientAddress(PEER, "10.20.0.5,198.51.100.7", true), "198.51.100.7");
  assert.equal(clientAddress(PEER, "1.1.1.1, 2001:db8::7", true), "2001:db8::7");
  assert.equal(clientAddress(PEER, undefined, true), PEER, "no header: the peer");
  assert.equal(clientAddress(PEER, "", true), PEER);
  assert.equal(clientAddress(PEER, "10.20.0.5, garbage", true), PEER, "never garbage");
  assert.equal(clientAddress(PEER, "10.20.0.5, 198.51.100.7:4000", true), PEER);
  assert.equal(clientAddress(PEER, "198.51.100.7, ", true), PEER);
});

Deno.test("a list: walk from the peer leftwards while the address is a trusted proxy", () => {
  const trust = ["10.20.0.0/16", "2001:db8:1::/48"];
  // The left-most entry was sent by the client; the proxies appended the rest.
  assert.equal(clientAddress(PEER, "10.20.0.5, 198.51.100.7", trust), "198.51.100.7");
  assert.equal(clientAddress(PEER, "203.0.113.1, 198.51.100.7, 10.20.0.2", trust), "198.51.100.7");
  assert.equal(
    clientAddress("2001:db8:1::1", "198.51.100.7, 2001:db8:1::9", trust),
    "198.51.100.7",
    "IPv6 proxies",
  );
  assert.equal(clientAddress(PEER, "2001:db8:9::5", trust), "2001:db8:9::5", "an IPv6 client");
  assert.equal(clientAddress(PEER, "[2001:db8:9::5]", trust), "[2001:db8:9::5]");
  // Every entry is a trusted proxy: the left-most one is as far as can be known.
  assert.equal(clientAddress(PEER, "10.20.0.9, 10.20.0.2", trust), "10.20.0.9");
  assert.equal(clientAddress(PEER, undefined, trust), PEER);
});

Deno.test("a list: a peer that is not a trusted proxy is the client, its header is not read", () => {
  const trust = ["10.20.0.0/16"];
  assert.equal(clientAddress("198.51.100.7", "10.20.0.5", trust), "198.51.100.7");
  assert.equal(clientAddress("unknown", "10.20.0.5", trust), "unknown");
});

Deno.test("a list: a malformed entry stops the walk at the last good address", () => {
  const trust = ["10.20.0.0/16"];
  assert.equal(clientAddress(PEER, "198.51.100.7, nonsense, 10.20.0.2", trust), "10.20.0.2");
  assert.equal(clientAddress(PEER, "198.51.100.7, unknown", trust), PEER);
  assert.equal(clientAddress(PEER, "198.51.100.7,,10.20.0.2", trust), "10.20.0.2");
  assert.equal(clientAddress(PEER, "300.1.1.1", trust), PEER);
  assert.equal(clientAddress(PEER, "10.20.0.0/16", trust), PEER, "a range is not an address");
  assert.equal(clientAddress(PEER, "1.2.3.4\r\nX-Evil: 1", trust), PEER);
});

Deno.test("KABAR_TRUST_PROXY reads true, false, or addresses and ranges", () => {
  assert.deepEqual(parseTrustProxy("true"), { ok: true, value: true });
  assert.deepEqual(parseTrustProxy("1"), { ok: true, value: true });
  assert.deepEqual(parseTrustProxy(" TRUE "), { ok: true, value: true });
  assert.deepEqual(parseTrustProxy("false"), { ok: true, value: false });
  assert.deepEqual(parseTrustProxy("0"), { ok: true, value: false });
  assert.deepEqual(parseTrustProxy("10.0.0.5, 192.168.10.0/24,::1,2001:db8::/32"), {
    ok: true,
    value: ["10.0.0.5", "192.168.10.0/24", "::1", "2001:db8::/32"],
  });
  assert.deepEqual(parseTrustProxy("10.0.0.5,proxy.local"), { ok: false, bad: "proxy.local" });
  assert.deepEqual(parseTrustProxy("10.0.0.0/33"), { ok: false, bad: "10.0.0.0/33" });
  assert.deepEqual(parseTrustProxy("yes"), { ok: false, bad: "yes" });
  assert.deepEqual(parseTrustProxy("10.0.0.5,0.0.0.0/0"), { ok: false, bad: "0.0.0.0/0" });
  assert.deepEqual(parseTrustProxy("::/0"), { ok: false, bad: "::/0" });
  assert.deepEqual(parseTrustProxy("10.0.0.5,"), { ok: false, bad: "" });
});
