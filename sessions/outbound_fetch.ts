/**
 * The one way Kabar fetches a URL on someone's behalf (a file to send, a
 * webhook, a Wappin callback). Only http and https; the host's addresses are
 * resolved once, each is checked, and the connection goes to exactly the
 * checked address (so a name cannot resolve outside for the check and inside
 * for the connection); every redirect is checked the same way. Loopback,
 * private and link-local addresses are reached only when the request allows
 * the private network; unspecified, multicast and reserved ones never.
 */
import http from "node:http";
import https from "node:https";
import { lookup } from "node:dns/promises";
import type { IncomingMessage } from "node:http";
import {
  ADDRESS_SCOPES,
  addressAllowed,
  type AddressScope,
  addressScope,
} from "../core/address_scope.ts";
import type { Logger } from "../core/log.ts";

/** Why a fetch did not give an answer. */
export type OutboundFailure =
  | "bad_url"
  | "refused"
  | "unreachable"
  | "timeout"
  | "too_large"
  | "redirects";

/**
 * A fetch that gave no usable answer. `message` is safe to show whoever
 * asked: it never tells a refused address from an unreachable one.
 */
export class OutboundFetchError extends Error {
  constructor(readonly failure: OutboundFailure, message: string, readonly detail: string) {
    super(message);
    this.name = "OutboundFetchError";
  }
}

export interface OutboundRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Whether loopback, private and link-local addresses may be reached. */
  privateNetwork: boolean;
  /** The whole exchange, redirects included, must end within this. */
  timeoutMs: number;
  /** The largest answer body; a larger one fails (`too_large`), or is cut with `truncate`. */
  maxBytes: number;
  truncate?: boolean;
  /** Redirects followed, each checked like the first URL; 0 answers the redirect itself. */
  maxRedirects: number;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface OutboundFetchOptions {
  /** A host name's addresses; by default the system's resolver (so `/etc/hosts` counts). */
  resolve?: (host: string) => Promise<string[]>;
  /**
   * The addresses of the machine Kabar runs on, which count as the private
   * network whatever they look like; by default its network interfaces'.
   */
  ownAddresses?: () => string[];
  /**
   * The address to connect to in place of a checked one: lets tests point a
   * public-looking address at a server on 127.0.0.1. Never set in production.
   */
  connectTo?: (address: string) => string;
  log?: Logger;
}

/** Idle connections are closed well before servers usually close theirs (5 s and up). */
const KEEP_ALIVE = { keepAlive: true, maxSockets: 128, maxFreeSockets: 32, timeout: 4_000 };

/** Redirects a file link may take; more looks like a loop. */
export const MAX_REDIRECTS = 3;

/** Names that only a local network resolves. */
const LOCAL_NAME = /^[^.]+$|\.(localhost|local|internal|lan|home\.arpa)$|^localhost$/i;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CONNECT_ERRORS = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

const systemResolve = async (host: string) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The network interfaces' addresses, read again at most every few seconds (DHCP may change them). */
function interfaceAddresses(): () => string[] {
  let read = -Infinity;
  let addresses: string[] = [];
  return () => {
    if (performance.now() - read > 5_000) {
      addresses = Deno.networkInterfaces().map((i) => i.address);
      read = performance.now();
    }
    return addresses;
  };
}

/** Fetches URLs through the guard; one per process. */
export class OutboundFetch {
  readonly #resolve: (host: string) => Promise<string[]>;
  readonly #ownAddresses: () => string[];
  /**
   * Connections kept open between requests. A pool is keyed by the address
   * connected to (Kabar always connects to an address, never a name) and, for
   * https, the name checked in its certificate: a connection is reused only
   * for a request whose own check allowed that very address.
   */
  readonly #agents = {
    "http:": new http.Agent(KEEP_ALIVE),
    "https:": new https.Agent(KEEP_ALIVE),
  };

  constructor(private readonly options: OutboundFetchOptions = {}) {
    this.#resolve = options.resolve ?? systemResolve;
    this.#ownAddresses = options.ownAddresses ?? interfaceAddresses();
  }

  /** Closes the connections kept open. */
  close(): void {
    this.#agents["http:"].destroy();
    this.#agents["https:"].destroy();
  }

  /** Fetches `url`, following redirects as allowed; throws `OutboundFetchError`. */
  async fetch(url: string, request: OutboundRequest): Promise<OutboundResponse> {
    const signal = AbortSignal.timeout(request.timeoutMs);
    let target = parseTarget(url);
    let method = request.method ?? "GET";
    let body = request.body;
    for (let redirects = 0;; redirects++) {
      const response = await this.#once(target, { ...request, method, body }, signal);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || request.maxRedirects === 0 || !location) {
        return {
          status: response.statusCode ?? 0,
          headers: headersOf(response),
          body: await readBody(response, request, signal),
          url: target.href,
        };
      }
      response.resume();
      if (redirects >= request.maxRedirects) {
        throw new OutboundFetchError(
          "redirects",
          `more than ${request.maxRedirects} redirects`,
          `redirected again to ${location}`,
        );
      }
      try {
        target = parseTarget(new URL(location, target).href);
      } catch (e) {
        if (e instanceof OutboundFetchError) throw e;
        throw new OutboundFetchError("redirects", "a redirect to an invalid address", location);
      }
      if (response.statusCode === 303 || (response.statusCode !== 307 && method === "POST")) {
        method = "GET";
        body = undefined;
      }
    }
  }

  /**
   * The widest scope among the addresses `url`'s host has now (`forbidden`
   * over `private` over `public`). A name that does not resolve is `private`
   * when it is one only a local network knows (`localhost`, `.local`,
   * `.internal`, `.lan`, `.home.arpa`, a single label), else undefined.
   */
  async scopeOf(url: string): Promise<AddressScope | undefined> {
    const host = hostOf(parseTarget(url));
    const addresses = addressScope(host) !== undefined
      ? [host]
      : await this.#resolve(host).catch(() => [] as string[]);
    const own = this.#ownAddresses();
    const scopes = new Set(addresses.map((a) => addressScope(a, own)));
    const widest = ADDRESS_SCOPES.findLast((s) => scopes.has(s));
    return widest ?? (LOCAL_NAME.test(host) ? "private" : undefined);
  }

  /** One request to `url`, connected to a checked address of its host. */
  async #once(
    url: URL,
    request: OutboundRequest & { method: string },
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const host = hostOf(url);
    const literal = addressScope(host) !== undefined;
    const addresses = literal ? [host] : await this.#addressesOf(host, signal);
    // The machine's own addresses only matter for a public-looking one the request may not reach.
    const own = !request.privateNetwork && addresses.some((a) => addressScope(a) === "public")
      ? this.#ownAddresses()
      : [];
    const refused = addresses.filter((a) => !addressAllowed(a, request.privateNetwork, own));
    if (refused.length > 0) {
      this.options.log?.warn("outbound request refused: address not allowed", {
        origin: url.origin,
        addresses: refused,
        private_network: request.privateNetwork,
      });
      throw new OutboundFetchError(
        "refused",
        "could not connect",
        `${host} is at ${refused.join(", ")}, ` +
          (request.privateNetwork || refused.some((a) => addressScope(a, own) === "forbidden")
            ? "which is never a destination"
            : "on a private network this request may not reach"),
      );
    }
    let lastError: unknown;
    for (const address of addresses) {
      try {
        return await this.#request(url, address, literal ? undefined : host, request, signal);
      } catch (e) {
        lastError = e;
        if (!CONNECT_ERRORS.has((e as { code?: string }).code ?? "") || signal.aborted) break;
      }
    }
    throw failureOf(lastError, signal, request.timeoutMs);
  }

  async #addressesOf(host: string, signal: AbortSignal): Promise<string[]> {
    const found = await Promise.race([
      this.#resolve(host).catch(() => [] as string[]),
      new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true })
      ),
    ]).catch(() => {
      throw new OutboundFetchError("timeout", "no answer in time", `resolving ${host}`);
    });
    if (found.length === 0) {
      throw new OutboundFetchError("unreachable", "could not connect", `${host} has no address`);
    }
    return found;
  }

  #request(
    url: URL,
    address: string,
    serverName: string | undefined,
    request: OutboundRequest & { method: string },
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const connectTo = this.options.connectTo?.(address) ?? address;
    const module = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const outgoing = module.request({
        hostname: connectTo,
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: url.pathname + url.search,
        method: request.method,
        headers: {
          ...request.headers,
          host: url.host,
          ...(request.body === undefined
            ? {}
            : { "content-length": String(new TextEncoder().encode(request.body).byteLength) }),
        },
        auth: url.username
          ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
          : undefined,
        servername: serverName,
        agent: this.#agents[url.protocol as "http:" | "https:"],
        signal,
      }, resolve);
      outgoing.on("error", reject);
      outgoing.end(request.body);
    });
  }
}

/** The URL if it is http or https; `bad_url` otherwise. */
function parseTarget(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundFetchError("bad_url", "not a valid URL", text);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundFetchError("bad_url", "only http and https addresses", url.protocol);
  }
  return url;
}

/** The host to resolve: an IPv6 address without brackets, a name without its final dot. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");

function failureOf(error: unknown, signal: AbortSignal, timeoutMs: number): OutboundFetchError {
  if (error instanceof OutboundFetchError) return error;
  if (signal.aborted) {
    return new OutboundFetchError(
      "timeout",
      `no answer within ${timeoutMs / 1000} s`,
      String(error),
    );
  }
  const code = (error as { code?: string }).code;
  return new OutboundFetchError(
    "unreachable",
    "could not connect",
    [code, (error as Error)?.message].filter(Boolean).join(": "),
  );
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** The body, up to the limit: past it the request fails, or the body is cut with `truncate`. */
async function readBody(
  response: IncomingMessage,
  request: OutboundRequest,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new OutboundFetchError(
      "too_large",
      "the answer is too large",
      `over ${request.maxBytes} bytes`,
    );
  const declared = Number(response.headers["content-length"] ?? "0");
  if (declared > request.maxBytes && !request.truncate) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Uint8Array>) {
      const room = request.maxBytes - size;
      if (chunk.byteLength > room) {
        response.destroy();
        if (!request.truncate) throw tooLarge();
        chunks.push(chunk.subarray(0, room));
        size += room;
        break;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    }
  } catch (e) {
    throw failureOf(e, signal, request.timeoutMs);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
