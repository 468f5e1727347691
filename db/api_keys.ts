/**
 * API keys: shown once when made, kept only as a SHA-256 hash, scoped,
 * optionally limited to addresses, to one channel and in requests a second,
 * revocable.
 */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import { randomToken, sha256Hex } from "../core/tokens.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import { getChannel } from "./channels.ts";
import type { Db } from "./client.ts";
import { isDiskFull } from "./errors.ts";
import { apiKeys } from "./schema.ts";

type Row = typeof apiKeys.$inferSelect;

/** A key as lists show it: never the key itself. */
export interface ApiKey extends Omit<Row, "scopes" | "ipAllowlist" | "keyHash"> {
  scopes: string[];
  ipAllowlist: string[];
}

export interface NewApiKey {
  name: string;
  scopes: string[];
  ipAllowlist: string[];
  channelId: number | null;
  /** Requests a second; null or left out: the default, 0: no limit. */
  rateLimit?: number | null;
}

/** Every key starts like this, so a leaked one is easy to recognise in code or logs. */
const KEY_PREFIX = "kbr_";
/** Last-used times are written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

function toApiKey({ keyHash: _, ...row }: Row): ApiKey {
  return { ...row, scopes: JSON.parse(row.scopes), ipAllowlist: JSON.parse(row.ipAllowlist) };
}

/** Makes a key; answers the key itself (shown once, never stored) and its record. */
export async function createApiKey(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: NewApiKey,
): Promise<{ key: string; apiKey: ApiKey }> {
  if (input.channelId !== null && !(await getChannel(db, input.channelId))) {
    throw invalidInput(`No channel with id ${input.channelId}`, {
      channelId: "err.apikey_channel",
    });
  }
  const key = KEY_PREFIX + randomToken(32);
  const [[row]] = await db.batch([
    db.insert(apiKeys).values({
      name: input.name,
      keyHash: await sha256Hex(key),
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      scopes: JSON.stringify(input.scopes),
      ipAllowlist: JSON.stringify(input.ipAllowlist),
      channelId: input.channelId,
      rateLimit: input.rateLimit ?? null,
      createdBy: actor.userId,
      createdAt: clock.now(),
    }).returning(),
    auditInsert(db, clock, actor, {
      action: "apikey.create",
      target: input.name,
      details: {
        scopes: input.scopes,
        ipAllowlist: input.ipAllowlist,
        channelId: input.channelId,
        rateLimit: input.rateLimit ?? null,
      },
    }),
  ]);
  return { key, apiKey: toApiKey(row) };
}

/** Every key, newest first, revoked ones included. */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  return (await db.select().from(apiKeys).orderBy(desc(apiKeys.id))).map(toApiKey);
}

/** Revokes a key: it stops working at once. */
export async function revokeApiKey(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<ApiKey> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!row) throw notFound(`No API key with id ${id}`);
  await db.batch([
    db.update(apiKeys).set({ revokedAt: row.revokedAt ?? clock.now() }).where(eq(apiKeys.id, id)),
    auditInsert(db, clock, actor, { action: "apikey.revoke", target: row.name }),
  ]);
  return toApiKey({ ...row, revokedAt: row.revokedAt ?? clock.now() });
}

/** The live (not revoked) key for `key`, or undefined; notes when it was last used. */
export async function findApiKey(db: Db, clock: Clock, key: string): Promise<ApiKey | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const hash = await sha256Hex(key);
  const [row] = await db.select().from(apiKeys).where(
    and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)),
  );
  if (!row) return undefined;
  const now = clock.now();
  if (row.lastUsedAt === null || now - row.lastUsedAt > TOUCH_EVERY_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(and(
      eq(apiKeys.id, row.id),
      or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - TOUCH_EVERY_MS)),
    )).catch((e) => {
      // Only a note: on a full disk the key still works for what needs no write.
      if (!isDiskFull(e)) throw e;
    });
    row.lastUsedAt = now;
  }
  return toApiKey(row);
}

/**
 * Keys found recently, so a busy API does not hash and look up the same key
 * on every request. A revocation here clears it at once; one made by another
 * process (the CLI) takes effect within `ttlMs`.
 */
export class ApiKeyCache {
  #found = new Map<string, { apiKey: ApiKey; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  async find(key: string): Promise<ApiKey | undefined> {
    const now = this.clock.now();
    const hit = this.#found.get(key);
    if (hit && hit.until > now) return hit.apiKey;
    const apiKey = await findApiKey(this.db, this.clock, key);
    if (apiKey) this.#found.set(key, { apiKey, until: now + this.ttlMs });
    else this.#found.delete(key);
    return apiKey;
  }

  /** Forgets every key (after a revocation). */
  clear(): void {
    this.#found.clear();
  }
}
