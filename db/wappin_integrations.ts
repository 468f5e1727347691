/**
 * Wappin-compatible integrations: credentials (secret key and client key
 * stored hashed, the access token sealed so it can be handed out again
 * while valid), settings, and the callback webhook each one owns.
 */
import { and, eq, getTableColumns, gt, sql } from "drizzle-orm";
import { conflict, invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { SecretBox } from "../core/secret_box.ts";
import { randomHex, sha256Hex, timingSafeEqual } from "../core/tokens.ts";
import {
  UAT_TEMPLATES,
  WAPPIN_TOKEN_TTL_MS,
  type WappinCallbackSource,
  wappinClientId,
  type WappinIntegrationInput,
} from "../core/wappin.ts";
import type { WebhookEventType } from "../core/webhook_events.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import { getChannel } from "./channels.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { channels, templates, wappinIntegrations, webhooks } from "./schema.ts";

/** An integration's columns, and whether its callback may reach the private network. */
const integrationColumns = {
  ...getTableColumns(wappinIntegrations),
  privateNetwork: sql<
    number
  >`(SELECT ${webhooks.privateNetwork} FROM ${webhooks} WHERE ${webhooks.id} = ${wappinIntegrations.webhookId})`,
};

type Row = typeof wappinIntegrations.$inferSelect & { privateNetwork: number };

/** An integration as pages and the API show it: no key, no token. */
export interface WappinIntegration extends WappinCallbackSource {
  id: number;
  channelId: number;
  webhookId: number;
  callbackUrl: string | null;
  /** Whether callbacks may go to loopback, private and link-local addresses. */
  privateNetwork: boolean;
  ipWhitelist: string[];
  tokenExpiresAt: number | null;
  createdAt: number;
}

/** The keys of a new integration, shown once. */
export interface WappinKeys {
  secretKey: string;
  clientKey: string;
}

/** The events a Wappin callback reports. */
const CALLBACK_EVENTS: WebhookEventType[] = ["message.status", "message.received"];

function toIntegration(row: Row): WappinIntegration {
  return {
    id: row.id,
    channelId: row.channelId,
    webhookId: row.webhookId,
    clientId: row.clientId,
    clientName: row.clientName,
    projectId: row.projectId,
    projectName: row.projectName,
    environment: row.environment,
    callbackUrl: row.callbackUrl,
    privateNetwork: Boolean(row.privateNetwork),
    ipWhitelist: JSON.parse(row.ipWhitelist),
    tokenExpiresAt: row.tokenExpiresAt,
    createdAt: row.createdAt,
  };
}

/** `RS Sehat Notifikasi` -> `rs-sehat-notifikasi`: Wappin's `client_name` form. */
function slug(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(
    /^-+|-+$/g,
    "",
  ) || "kabar";
}

/**
 * Adds an integration on a WhatsApp or sandbox channel (UAT: a sandbox
 * channel, with the test templates `templ_uat_2` and `templ_uat_3`), with a
 * new secret key and client key, answered once.
 */
export async function createWappinIntegration(
  db: Db,
  clock: Clock,
  secretBox: SecretBox,
  actor: Actor,
  input: WappinIntegrationInput,
): Promise<{ integration: WappinIntegration; keys: WappinKeys }> {
  const channel = await getChannel(db, input.channel);
  if (!channel) {
    throw invalidInput(`No channel with id ${input.channel}`, { channel: "err.wappin_channel" });
  }
  if (input.environment === "UAT" && channel.kind !== "sandbox") {
    throw invalidInput(`A UAT integration runs on a sandbox channel; ${channel.name} is not one`, {
      channel: "err.wappin_uat_sandbox",
    });
  }
  if (channel.kind === "telegram") {
    throw invalidInput(`Wappin integrations send on WhatsApp; ${channel.name} is Telegram`, {
      channel: "err.wappin_not_whatsapp",
    });
  }
  const keys = { secretKey: randomHex(20), clientKey: randomHex(20) };
  const now = clock.now();
  // One transaction: the callback webhook, then the integration pointing at it, numbered from
  // its own id (never reused, so a client id never comes back after a removal).
  const pending = `new:${crypto.randomUUID()}`;
  const uatTemplates = input.environment === "UAT"
    ? UAT_TEMPLATES.map((t) =>
      db.insert(templates).values({ ...t, createdAt: now, updatedAt: now }).onConflictDoNothing()
    )
    : [];
  try {
    const [, , [row]] = await db.batch([
      db.insert(webhooks).values({
        url: input.callback_url ?? "",
        secret: await secretBox.seal(randomHex(20)),
        events: JSON.stringify(CALLBACK_EVENTS),
        channelId: channel.id,
        active: input.callback_url !== undefined,
        format: "wappin",
        privateNetwork: input.private_network ?? false,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(wappinIntegrations).values({
        channelId: channel.id,
        webhookId: sql`(SELECT max(${webhooks.id}) FROM ${webhooks})`,
        clientId: pending,
        projectId: pending,
        clientName: slug(input.project_name),
        projectName: input.project_name,
        environment: input.environment,
        callbackUrl: input.callback_url ?? null,
        ipWhitelist: JSON.stringify(input.ip_whitelist),
        secretKeyHash: await sha256Hex(keys.secretKey),
        clientKeyHash: await sha256Hex(keys.clientKey),
        createdAt: now,
        updatedAt: now,
      }),
      db.update(wappinIntegrations).set({
        // wappinClientId, in SQL.
        clientId: sql`printf('%04d', ${wappinIntegrations.id})`,
        projectId: sql`CAST(${wappinIntegrations.id} AS TEXT)`,
      }).where(eq(wappinIntegrations.clientId, pending)).returning(integrationColumns),
      ...uatTemplates,
      auditInsert(db, clock, actor, {
        action: "wappin.create",
        target: input.project_name,
        details: { channelId: channel.id, environment: input.environment },
      }),
    ]);
    return { integration: toIntegration(row), keys };
  } catch (e) {
    if (isUniqueViolation(e, "wappin_integrations.channel_id")) {
      throw conflict(`${channel.name} has a Wappin integration already`, {
        channel: "err.wappin_channel_taken",
      });
    }
    throw e;
  }
}

export async function listWappinIntegrations(db: Db): Promise<WappinIntegration[]> {
  return (await db.select(integrationColumns).from(wappinIntegrations).orderBy(
    wappinIntegrations.id,
  )).map(
    toIntegration,
  );
}

/** The integration, or undefined. */
export async function findWappinIntegration(
  db: Db,
  id: number,
): Promise<WappinIntegration | undefined> {
  const [row] = await db.select(integrationColumns).from(wappinIntegrations).where(
    eq(wappinIntegrations.id, id),
  );
  return row ? toIntegration(row) : undefined;
}

/** The integration or a 404 naming it. */
export async function requireWappinIntegration(db: Db, id: number): Promise<WappinIntegration> {
  const integration = await findWappinIntegration(db, id);
  if (!integration) throw notFound(`No Wappin integration with id ${id}`);
  return integration;
}
/** Changes where callbacks go (and whether that may be inside) and which addresses may call. */
export async function updateWappinIntegration(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  patch: { callbackUrl?: string | null; privateNetwork?: boolean; ipWhitelist?: string[] },
): Promise<WappinIntegration> {
  const before = await requireWappinIntegration(db, id);
  const now = clock.now();
  const callback = {
    ...(patch.callbackUrl !== undefined
      ? { url: patch.callbackUrl ?? "", active: patch.callbackUrl !== null }
      : {}),
    ...(patch.privateNetwork !== undefined ? { privateNetwork: patch.privateNetwork } : {}),
  };
  // The callback webhook first: the integration's answer reads its private_network.
  const [, [row]] = await db.batch([
    db.update(webhooks).set({ ...callback, updatedAt: now }).where(
      eq(webhooks.id, before.webhookId),
    ),
    db.update(wappinIntegrations).set({
      ...(patch.callbackUrl !== undefined ? { callbackUrl: patch.callbackUrl } : {}),
      ...(patch.ipWhitelist !== undefined
        ? { ipWhitelist: JSON.stringify(patch.ipWhitelist) }
        : {}),
      updatedAt: now,
    }).where(eq(wappinIntegrations.id, id)).returning(integrationColumns),
    auditInsert(db, clock, actor, {
      action: "wappin.update",
      target: before.projectName,
      details: patch,
    }),
  ]);
  return toIntegration(row);
}

/**
 * New secret key and client key (shown once), for a key that leaked: the old
 * ones and the current access token stop working at once.
 */
export async function renewWappinKeys(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<{ integration: WappinIntegration; keys: WappinKeys }> {
  const before = await requireWappinIntegration(db, id);
  const keys = { secretKey: randomHex(20), clientKey: randomHex(20) };
  const [[row]] = await db.batch([
    db.update(wappinIntegrations).set({
      secretKeyHash: await sha256Hex(keys.secretKey),
      clientKeyHash: await sha256Hex(keys.clientKey),
      tokenHash: null,
      tokenSealed: null,
      tokenExpiresAt: null,
      updatedAt: clock.now(),
    }).where(eq(wappinIntegrations.id, id)).returning(integrationColumns),
    auditInsert(db, clock, actor, { action: "wappin.new_keys", target: before.projectName }),
  ]);
  return { integration: toIntegration(row), keys };
}

/** Removes an integration, its callback webhook and that webhook's delivery log. */
export async function deleteWappinIntegration(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<WappinIntegration> {
  const before = await requireWappinIntegration(db, id);
  await db.batch([
    db.delete(wappinIntegrations).where(eq(wappinIntegrations.id, id)),
    db.delete(webhooks).where(eq(webhooks.id, before.webhookId)),
    auditInsert(db, clock, actor, { action: "wappin.delete", target: before.projectName }),
  ]);
  return before;
}

/** Only integrations whose channel still exists answer. */
const onLiveChannel =
  sql`${wappinIntegrations.channelId} IN (SELECT ${channels.id} FROM ${channels} WHERE ${channels.deletedAt} IS NULL)`;

/**
 * The integration with this client id (`9` and `0009` are one), with a check
 * of a secret key against it; undefined when there is none.
 */
export async function wappinClient(
  db: Db,
  clientId: string,
): Promise<
  { integration: WappinIntegration; secretMatches(secret: string): Promise<boolean> } | undefined
> {
  const id = clientId.trim();
  const canonical = /^\d{1,15}$/.test(id) ? wappinClientId(Number(id)) : id;
  const [row] = await db.select(integrationColumns).from(wappinIntegrations).where(
    and(eq(wappinIntegrations.clientId, canonical), onLiveChannel),
  );
  if (!row) return undefined;
  return {
    integration: toIntegration(row),
    secretMatches: async (secret) => timingSafeEqual(await sha256Hex(secret), row.secretKeyHash),
  };
}

/** The integration a still valid access token belongs to, or undefined. */
export async function wappinByToken(
  db: Db,
  clock: Clock,
  token: string,
): Promise<WappinIntegration | undefined> {
  const [row] = await db.select(integrationColumns).from(wappinIntegrations).where(and(
    eq(wappinIntegrations.tokenHash, await sha256Hex(token)),
    gt(wappinIntegrations.tokenExpiresAt, clock.now()),
    onLiveChannel,
  ));
  return row ? toIntegration(row) : undefined;
}

/**
 * The integration's access token: the current one while it is valid
 * (`fresh` false, Wappin's "Token not expired"), else a new one for 24 hours.
 */
export async function issueWappinToken(
  db: Db,
  clock: Clock,
  secretBox: SecretBox,
  id: number,
): Promise<{ token: string; expiresAt: number; fresh: boolean }> {
  const now = clock.now();
  const [current] = await db.select({
    sealed: wappinIntegrations.tokenSealed,
    expiresAt: wappinIntegrations.tokenExpiresAt,
  }).from(wappinIntegrations).where(eq(wappinIntegrations.id, id));
  if (!current) throw notFound(`No Wappin integration with id ${id}`);
  if (current.sealed && current.expiresAt && current.expiresAt > now) {
    return {
      token: await secretBox.open(current.sealed),
      expiresAt: current.expiresAt,
      fresh: false,
    };
  }
  const token = randomHex(32);
  const expiresAt = now + WAPPIN_TOKEN_TTL_MS;
  const updated = await db.update(wappinIntegrations).set({
    tokenHash: await sha256Hex(token),
    tokenSealed: await secretBox.seal(token),
    tokenExpiresAt: expiresAt,
  }).where(and(
    eq(wappinIntegrations.id, id),
    // Another request may have issued one meanwhile: then that one is the token.
    sql`(${wappinIntegrations.tokenExpiresAt} IS NULL OR ${wappinIntegrations.tokenExpiresAt} <= ${now})`,
  )).returning({ id: wappinIntegrations.id });
  if (updated.length === 0) return await issueWappinToken(db, clock, secretBox, id);
  return { token, expiresAt, fresh: true };
}

/**
 * The token a callback carries: the one last handed out, even when it has
 * expired since (the receiver knows that one); a new one only when the
 * integration never had any.
 */
export async function callbackToken(
  db: Db,
  clock: Clock,
  secretBox: SecretBox,
  id: number,
): Promise<string> {
  const [row] = await db.select({ sealed: wappinIntegrations.tokenSealed }).from(
    wappinIntegrations,
  ).where(eq(wappinIntegrations.id, id));
  if (row?.sealed) return await secretBox.open(row.sealed);
  return (await issueWappinToken(db, clock, secretBox, id)).token;
}

/** The integration that owns a callback webhook, or undefined. */
export async function wappinByWebhook(
  db: Db,
  webhookId: number,
): Promise<WappinIntegration | undefined> {
  const [row] = await db.select(integrationColumns).from(wappinIntegrations).where(
    eq(wappinIntegrations.webhookId, webhookId),
  );
  return row ? toIntegration(row) : undefined;
}
