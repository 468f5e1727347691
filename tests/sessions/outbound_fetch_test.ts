/**
 * The outbound-fetch guard against every way of writing an inside address:
 * a "secret" server on 127.0.0.1 must never be asked for anything unless the
 * request may reach the private network. Names resolve through a resolver
 * the test controls; its public address leads to a "public" server, also on
 * 127.0.0.1.
 */
import assert from "node:assert/strict";
import { addressScope } from "../../core/address_scope.ts";
import {
  OutboundFetch,
  OutboundFetchError,
  type OutboundRequest,
} from "../../sessions/outbound_fetch.ts";
import { testNetwork } from "../support/test_network.ts";

/** A server on 127.0.0.1 that notes each path asked; `/to?u=…` redirects there. */
function startServer(name: string) {
  const asked: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    asked.push(url.pathname);
    if (url.pathname === "/to") {
      return new Response(null, { status: 302, headers: { location: url.searchParams.get("u")! } });
    }
    return new Response(`${name} ${url.pathname} host=${req.headers.get("host")}`);
  });
  return { asked, port: server.addr.port, close: () => server.shutdown() };
}

const GET = (privateNetwork = false): OutboundRequest => ({
  privateNetwork,
  timeoutMs: 5_000,
  maxBytes: 1024,
  maxRedirects: 3,
});

async function failure(promise: Promise<unknown>): Promise<OutboundFetchError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof OutboundFetchError) return e;
    throw e;
  }
  assert.fail("the fetch was expected to fail");
}

Deno.test("every form of an inside address is refused before anything is sent to it", async () => {
  const secret = startServer("secret");
  const outside = startServer("public");
  const network = testNetwork({
    "inside.example": ["10.20.0.5"],
    "loop.example": ["127.0.0.1"],
    "mixed.example": ["93.184.215.14", "127.0.0.1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "metadata.example": ["169.254.169.254"],
  });
  const guard = new OutboundFetch(network);
  const p = secret.port;
  try {
    const inside = [
      `http://127.0.0.1:${p}/a`,
      `http://localhost:${p}/a`,
      `http://LOCALHOST.:${p}/a`,
      `http://0.0.0.0:${p}/a`,
      `http://0:${p}/a`,
      `http://2130706433:${p}/a`,
      `http://0x7f000001:${p}/a`,
      `http://0177.0.0.1:${p}/a`,
      `http://127.1:${p}/a`,
      `http://[::1]:${p}/a`,
      `http://[::]:${p}/a`,
      `http://[::ffff:127.0.0.1]:${p}/a`,
      `http://[::ffff:7f00:1]:${p}/a`,
      `http://[::127.0.0.1]:${p}/a`,
      `http://[::ffff:0:127.0.0.1]:${p}/a`,
      `http://[64:ff9b::127.0.0.1]:${p}/a`,
      `http://[2002:7f00:1::]:${p}/a`,
      `http://169.254.169.254:${p}/latest/meta-data`,
      `http://10.0.0.1:${p}/a`,
      `http://172.16.0.1:${p}/a`,
      `http://192.168.1.1:${p}/a`,
      `http://100.64.0.1:${p}/a`,
      `http://[fd00::1]:${p}/a`,
      `http://[fe80::1]:${p}/a`,
      `http://224.0.0.1:${p}/a`,
      `http://255.255.255.255:${p}/a`,
      `http://user:pw@127.0.0.1:${p}/a`,
      `http://inside.example:${p}/a`,
      `http://loop.example:${p}/a`,
      `http://mixed.example:${p}/a`,
      `http://mapped.example:${p}/a`,
      `http://metadata.example:${p}/a`,
      // A public address that redirects inside, in every form above's spirit.
      `http://files.example:${outside.port}/to?u=${encodeURIComponent(`http://127.0.0.1:${p}/a`)}`,
      `http://files.example:${outside.port}/to?u=${
        encodeURIComponent(`http://loop.example:${p}/a`)
      }`,
    ];
    for (const url of inside) {
      const e = await failure(guard.fetch(url, GET()));
      assert.equal(e.failure, "refused", `${url}: ${e.failure} ${e.detail}`);
      assert.equal(e.message, "could not connect", "the same words as a closed port");
    }
    assert.deepEqual(secret.asked, [], "the inside server was never asked for anything");

    const closedPort = (() => {
      const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (l.addr as Deno.NetAddr).port;
      l.close();
      return port;
    })();
    const closed = await failure(guard.fetch(`http://files.example:${closedPort}/`, GET()));
    assert.equal(closed.failure, "unreachable");
    assert.equal(closed.message, "could not connect");

    for (const url of ["file:///etc/passwd", "ftp://files.example/x", "gopher://x/", "nonsense"]) {
      assert.equal((await failure(guard.fetch(url, GET()))).failure, "bad_url", url);
    }
  } finally {
    guard.close();
    await secret.close();
    await outside.close();
  }
});

Deno.test("with the private network allowed, inside addresses answer; never-destinations do not", async () => {
  const secret = startServer("secret");
  const guard = new OutboundFetch(testNetwork({ "simrs.rs.local": ["127.0.0.1"] }));
  try {
    for (
      const url of [`http://127.0.0.1:${secret.port}/x`, `http://simrs.rs.local:${secret.port}/y`]
    ) {
      const answer = await guard.fetch(url, GET(true));
      assert.equal(answer.status, 200);
      assert.match(new TextDecoder().decode(answer.body), /^secret \//);
    }
    assert.match(
      new TextDecoder().decode(
        (await guard.fetch(`http://simrs.rs.local:${secret.port}/y`, GET(true))).body,
      ),
      new RegExp(`host=simrs.rs.local:${secret.port}$`),
      "the Host header is the name, the connection goes to the checked address",
    );
    for (const url of [`http://0.0.0.0:${secret.port}/`, `http://224.0.0.1:${secret.port}/`]) {
      assert.equal((await failure(guard.fetch(url, GET(true)))).failure, "refused", url);
    }
    assert.equal(secret.asked.length, 3);
  } finally {
    guard.close();
    await secret.close();
  }
});

Deno.test("a name is resolved once per request and the connection goes to that address", async () => {
  const secret = startServer("secret");
  const outside = startServer("public");
  // Public at the first lookup, loopback at every later one (DNS rebinding).
  let lookups = 0;
  const guard = new OutboundFetch(testNetwork({
    "rebind.example": () => (++lookups === 1 ? ["93.184.215.14"] : ["127.0.0.1"]),
  }));
  try {
    const first = await guard.fetch(`http://rebind.example:${outside.port}/one`, GET());
    assert.equal(first.status, 200);
    assert.equal(lookups, 1, "one lookup for the whole request");
    const second = await failure(guard.fetch(`http://rebind.example:${secret.port}/two`, GET()));
    assert.equal(second.failure, "refused");
    assert.deepEqual(outside.asked, ["/one"]);
    assert.deepEqual(secret.asked, []);
  } finally {
    guard.close();
    await secret.close();
    await outside.close();
  }
});

Deno.test("redirects: at most three, each checked; a body over the limit fails or is cut", async () => {
  const files = startServer("public");
  const guard = new OutboundFetch(testNetwork());
  const hop = (to: string) => `http://files.example:${files.port}/to?u=${encodeURIComponent(to)}`;
  try {
    const end = `http://files.example:${files.port}/end`;
    const three = await guard.fetch(hop(hop(hop(end))), GET());
    assert.equal(three.status, 200);
    assert.equal(three.url, end);
    const four = await failure(guard.fetch(hop(hop(hop(hop(end)))), GET()));
    assert.equal(four.failure, "redirects");
    const unfollowed = await guard.fetch(hop(end), { ...GET(), maxRedirects: 0 });
    assert.equal(unfollowed.status, 302, "a webhook sees the redirect itself");
    const toFile = await failure(guard.fetch(hop("file:///etc/passwd"), GET()));
    assert.equal(toFile.failure, "bad_url");

    const small = { ...GET(), maxBytes: 10 };
    assert.equal((await failure(guard.fetch(end, small))).failure, "too_large");
    const cut = await guard.fetch(end, { ...small, truncate: true });
    assert.equal(new TextDecoder().decode(cut.body), "public /en");
  } finally {
    guard.close();
    await files.close();
  }
});

Deno.test("a server that does not answer in time is a timeout, not a hang", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) held.push(conn); // accepts, never answers
  })();
  const guard = new OutboundFetch(testNetwork());
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const e = await failure(
      guard.fetch(`http://files.example:${port}/`, { ...GET(), timeoutMs: 200 }),
    );
    assert.equal(e.failure, "timeout");
  } finally {
    guard.close();
    listener.close();
    for (const conn of held) conn.close();
  }
});

Deno.test("address scopes: IPv4, IPv6 and the IPv6 forms that carry an IPv4 address", () => {
  const table: [string, string | undefined][] = [
    ["8.8.8.8", "public"],
    ["93.184.215.14", "public"],
    ["203.0.113.7", "private"],
    ["198.51.100.7", "private"],
    ["192.0.2.2", "private"],
    ["2001:db8::1", "private"],
    ["3fff::1", "private"],
    ["2606:4700::1111", "public"],
    ["127.0.0.1", "private"],
    ["10.1.2.3", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.0.1", "private"],
    ["169.254.169.254", "private"],
    ["100.64.0.1", "private"],
    ["::1", "private"],
    ["fd12::1", "private"],
    ["fe80::1%eth0", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["::ffff:0:7f00:1", "private"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b::808:808", "public"],
    ["64:ff9b:1::1", "private"],
    ["2002:c0a8:101::1", "private"],
    ["2002:808:808::1", "public"],
    ["::7f00:1", "private"],
    ["0.0.0.0", "forbidden"],
    ["0.1.2.3", "forbidden"],
    ["::", "forbidden"],
    ["224.0.0.251", "forbidden"],
    ["ff02::1", "forbidden"],
    ["255.255.255.255", "forbidden"],
    ["2001:0:4136:e378::1", "forbidden"],
    ["not-an-address", undefined],
    ["999.1.1.1", undefined],
  ];
  for (const [address, scope] of table) assert.equal(addressScope(address), scope, address);
});

Deno.test("the machine's own addresses count as inside, however public they look", async () => {
  const own = startServer("own");
  const network = testNetwork();
  const guard = new OutboundFetch({ ...network, ownAddresses: () => ["93.184.215.14"] });
  try {
    const url = `http://files.example:${own.port}/status`;
    const e = await failure(guard.fetch(url, GET()));
    assert.equal(e.failure, "refused");
    assert.deepEqual(own.asked, []);
    assert.equal(
      (await guard.fetch(url, GET(true))).status,
      200,
      "allowed for the private network",
    );
    assert.equal(await guard.scopeOf(url), "private");
    for (
      const form of ["[::ffff:93.184.215.14]", "[64:ff9b::93.184.215.14]", "[2002:5db8:d70e::1]"]
    ) {
      assert.equal(await guard.scopeOf(`http://${form}/`), "private", form);
    }
  } finally {
    guard.close();
    await own.close();
  }
});
