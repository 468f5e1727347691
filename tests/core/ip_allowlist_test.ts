import assert from "node:assert/strict";
import { ipAllowed, parseRange } from "../../core/ip_allowlist.ts";
import { hasScope } from "../../core/api_scopes.ts";

Deno.test("IP allow-lists match addresses and CIDR ranges, IPv4 and IPv6", () => {
  const list = ["10.20.0.0/16", "192.168.1.7", "2001:db8::/32", "::1"];
  const cases: Array<[string, boolean]> = [
    ["10.20.3.4", true],
    ["10.21.0.1", false],
    ["192.168.1.7", true],
    ["192.168.1.8", false],
    ["::ffff:10.20.9.9", true],
    ["2001:db8:1::5", true],
    ["2001:db9::5", false],
    ["::1", true],
    ["127.0.0.1", false],
    ["not an address", false],
  ];
  for (const [address, allowed] of cases) assert.equal(ipAllowed(list, address), allowed, address);
  assert.equal(ipAllowed([], "203.0.113.9"), true, "an empty list allows all");
  for (const bad of ["10.0.0.0/33", "300.1.1.1", "10.0.0/8", "fe80::1::2", "1.2.3.4/8/1", ""]) {
    assert.equal(parseRange(bad), undefined, bad);
  }
  assert.ok(parseRange("0.0.0.0/0"));
});

Deno.test("scopes: exact, an area's wildcard, or everything", () => {
  assert.equal(hasScope(["messages:send"], "messages:send"), true);
  assert.equal(hasScope(["messages:send"], "messages:read"), false);
  assert.equal(hasScope(["templates:*"], "templates:write"), true);
  assert.equal(hasScope(["templates:*"], "webhooks:read"), false);
  assert.equal(hasScope(["*"], "channels:write"), true);
});
