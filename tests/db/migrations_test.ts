/**
 * The schema as the migrations build it on a real database file: applying
 * them again is harmless, the connection pragmas hold, message search follows
 * the messages, and the database itself keeps one active administrator.
 */
import assert from "node:assert/strict";
import { eq, inArray } from "drizzle-orm";
import { ManualClock } from "../../core/clock.ts";
import { parseConfig } from "../../core/config.ts";
import { closeDb, type Db, migrateDb, migrationState, openDb } from "../../db/client.ts";
import { prepareDataDir } from "../../db/data_dir.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { enqueueMessage } from "../../db/outbox.ts";
import { indexNewMessages } from "../../db/search_index.ts";
import { channels, contacts, conversations, messages, users } from "../../db/schema.ts";

const NOW = Date.UTC(2026, 0, 1);

async function withTempDb(fn: (db: Db, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-db-" });
  const db = await openDb(`file:${dir}/kabar.db`);
  try {
    await fn(db, dir);
  } finally {
    closeDb(db);
    await Deno.remove(dir, { recursive: true });
  }
}

async function schemaOf(db: Db): Promise<string[]> {
  const { rows } = await db.$client.execute(
    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
  );
  return rows.map((r) => `${r.type} ${r.name} ${r.tbl_name}: ${r.sql}`);
}

async function pragma(db: Db, name: string): Promise<unknown> {
  const { rows } = await db.$client.execute(`PRAGMA ${name}`);
  return rows[0]?.[0];
}

/** Error text including the causes drizzle and libSQL wrap it in. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const parts: string[] = [];
    for (let err: unknown = e; err; err = err instanceof Error ? err.cause : undefined) {
      parts.push(err instanceof Error ? err.message : String(err));
    }
    return parts.join(" | ");
  }
  assert.fail("expected the statement to be refused");
}

Deno.test("migrating twice changes nothing and records every shipped migration once", async () => {
  await withTempDb(async (db) => {
    const shippedFiles = (await Array.fromAsync(
      Deno.readDir(new URL("../../migrations", import.meta.url)),
    )).filter((e) => e.name.endsWith(".sql")).length;
    assert.deepEqual(await migrationState(db), { shipped: shippedFiles, applied: 0 });
    await migrateDb(db);
    const schema = await schemaOf(db);
    const state = await migrationState(db);
    assert.deepEqual(state, { shipped: shippedFiles, applied: shippedFiles });

    await migrateDb(db);
    assert.deepEqual(await schemaOf(db), schema);
    assert.deepEqual(await migrationState(db), state);
    const { rows } = await db.$client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
    assert.equal(Number(rows[0].n), state.shipped);

    for (
      const name of [
        "table users",
        "table messages",
        "table messages_fts",
        "table search_index",
        "trigger messages_fts_update",
        "trigger messages_fts_delete",
        "trigger users_keep_one_admin_update",
        "trigger users_keep_one_admin_delete",
      ]
    ) {
      assert.ok(schema.some((s) => s.startsWith(`${name} `)), `${name} exists`);
    }
  });
});

Deno.test("the connection runs in WAL mode and enforces foreign keys, also after migrating", async () => {
  await withTempDb(async (db, dir) => {
    await migrateDb(db);
    assert.equal(await pragma(db, "journal_mode"), "wal");
    assert.equal(Number(await pragma(db, "foreign_keys")), 1);
    assert.equal(Number(await pragma(db, "busy_timeout")), 5000);
    assert.equal(Number(await pragma(db, "synchronous")), 2, "FULL: a commit survives a power cut");
    assert.ok(
      await Deno.stat(`${dir}/kabar.db-wal`).then(() => true, () => false),
      "the write-ahead log file exists next to the database",
    );
    const refused = await failure(
      db.insert(conversations).values({
        channelId: 999,
        contactId: 999,
        createdAt: NOW,
        updatedAt: NOW,
      }),
    );
    assert.match(refused, /FOREIGN KEY constraint failed/);
    assert.equal((await db.select().from(conversations)).length, 0);
  });
});

Deno.test("a data dir whose name has a space, #, ? or % still gets its own kabar.db", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kabar-db-" });
  const dataDir = `${parent}/rs pusat #1?a=b%20`;
  try {
    const config = parseConfig({ KABAR_DATA_DIR: dataDir });
    await prepareDataDir(config.dataDir);
    const db = await openDb(config.dbUrl);
    try {
      await migrateDb(db);
      const state = await migrationState(db);
      assert.ok(state.applied > 0);
      assert.equal(state.applied, state.shipped);
    } finally {
      closeDb(db);
    }
    assert.ok((await Deno.stat(`${dataDir}/kabar.db`)).isFile, "the file is inside the data dir");
    const strays = (await Array.fromAsync(Deno.readDir(parent))).map((e) => e.name);
    assert.deepEqual(strays, ["rs pusat #1?a=b%20"], "no database anywhere else");
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

/** A channel, contact and conversation to hang messages on; returns the ids. */
async function seedConversation(db: Db) {
  const [channel] = await db.insert(channels).values({
    kind: "sandbox",
    name: "Sandbox",
    createdAt: NOW,
    updatedAt: NOW,
  }).returning();
  const [contact] = await db.insert(contacts).values({
    phone: "6281234567890",
    name: "Budi",
    createdAt: NOW,
    updatedAt: NOW,
  }).returning();
  const [conversation] = await db.insert(conversations).values({
    channelId: channel.id,
    contactId: contact.id,
    createdAt: NOW,
    updatedAt: NOW,
  }).returning();
  return { channelId: channel.id, contactId: contact.id, conversationId: conversation.id };
}

async function search(db: Db, query: string): Promise<number[]> {
  const { rows } = await db.$client.execute({
    sql: "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid",
    args: [query],
  });
  return rows.map((r) => Number(r.rowid));
}

Deno.test("message search finds a body once indexed, follows edits and forgets deletions", async () => {
  await withTempDb(async (db) => {
    await migrateDb(db);
    const ids = await seedConversation(db);
    const [first, second, media] = await db.insert(messages).values([
      {
        ...ids,
        direction: "in",
        type: "text",
        body: "Jadwal dokter gigi hari Senin?",
        status: "received",
        createdAt: NOW,
        updatedAt: NOW,
      },
      {
        ...ids,
        direction: "out",
        type: "text",
        body: "Poli gigi buka pukul 08.00",
        status: "queued",
        createdAt: NOW,
        updatedAt: NOW,
      },
      {
        ...ids,
        direction: "in",
        type: "image",
        body: null,
        status: "received",
        createdAt: NOW,
        updatedAt: NOW,
      },
    ]).returning();
    // Written outside the group commit: indexed by the next indexing step.
    assert.deepEqual(await search(db, "jadwal"), []);
    await indexNewMessages(db);

    assert.deepEqual(await search(db, "jadwal"), [first.id], "case does not matter");
    assert.deepEqual(await search(db, "gigi"), [first.id, second.id]);
    assert.deepEqual(await search(db, "senin"), [first.id]);

    await db.update(messages).set({ body: "Jadwal dokter anak hari Selasa?" })
      .where(eq(messages.id, first.id));
    assert.deepEqual(await search(db, "senin"), [], "the old words are gone");
    assert.deepEqual(await search(db, "selasa"), [first.id], "the new words are found");
    assert.deepEqual(await search(db, "gigi"), [second.id]);

    await db.update(messages).set({ body: "foto rontgen" }).where(eq(messages.id, media.id));
    assert.deepEqual(await search(db, "rontgen"), [media.id], "a caption added later is found");

    await db.update(messages).set({ body: null }).where(eq(messages.id, second.id));
    assert.deepEqual(await search(db, "poli"), [], "a body emptied by retention is forgotten");

    await db.update(messages).set({ status: "sent" }).where(eq(messages.id, first.id));
    assert.deepEqual(await search(db, "selasa"), [first.id], "other columns leave the index alone");

    await db.delete(messages).where(inArray(messages.id, [first.id, second.id, media.id]));
    assert.deepEqual(await search(db, "selasa"), []);
    assert.deepEqual(await search(db, "rontgen"), []);
    const { rows } = await db.$client.execute(
      "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')",
    );
    assert.equal(rows.length, 0, "the index matches the messages table");
  });
});

Deno.test("a message edited or deleted before it was indexed leaves the index whole", async () => {
  await withTempDb(async (db) => {
    await migrateDb(db);
    const ids = await seedConversation(db);
    const row = (body: string) => ({
      ...ids,
      direction: "in" as const,
      type: "text" as const,
      body,
      status: "received" as const,
      createdAt: NOW,
      updatedAt: NOW,
    });
    const [kept, gone] = await db.insert(messages).values([row("obat batuk"), row("obat flu")])
      .returning();
    await db.update(messages).set({ body: "obat demam" }).where(eq(messages.id, kept.id));
    await db.delete(messages).where(eq(messages.id, gone.id));
    await indexNewMessages(db);
    assert.deepEqual(await search(db, "obat"), [kept.id]);
    assert.deepEqual(await search(db, "batuk"), [], "the first text was never indexed");
    assert.deepEqual(await search(db, "demam"), [kept.id]);
    const { rows } = await db.$client.execute(
      "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')",
    );
    assert.equal(rows.length, 0, "the index matches the messages table");
  });
});

Deno.test("a message queued through the group commit is searchable once committed", async () => {
  await withTempDb(async (db) => {
    await migrateDb(db);
    const { channelId } = await seedConversation(db);
    const writer = new GroupCommit(db);
    const { message } = await enqueueMessage(db, writer, new ManualClock(NOW), {
      channelId,
      channelKind: "sandbox",
      to: { phone: "6281234567890" },
      type: "text",
      body: "Hasil laboratorium sudah keluar",
      source: "api",
      priority: 10,
    });
    assert.deepEqual(await search(db, "laboratorium"), [message.id]);
  });
});

async function addUser(db: Db, username: string, role: "admin" | "agent") {
  const [user] = await db.insert(users).values({
    username,
    displayName: username,
    passwordHash: "x",
    role,
    passwordChangedAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
  }).returning();
  return user;
}

Deno.test("the database refuses to lose its only active administrator", async () => {
  await withTempDb(async (db) => {
    await migrateDb(db);
    const siti = await addUser(db, "siti", "admin");
    const agent = await addUser(db, "budi", "agent");
    const sitiRow = eq(users.id, siti.id);

    for (
      const [what, change] of [
        ["demote", db.update(users).set({ role: "agent" }).where(sitiRow)],
        ["disable", db.update(users).set({ disabledAt: NOW }).where(sitiRow)],
        ["delete", db.delete(users).where(sitiRow)],
      ] as const
    ) {
      assert.match(await failure(change), /kabar:last_admin/, what);
    }
    const [kept] = await db.select().from(users).where(sitiRow);
    assert.equal(kept.role, "admin");
    assert.equal(kept.disabledAt, null);

    await db.update(users).set({ disabledAt: NOW }).where(eq(users.id, agent.id));
    await db.delete(users).where(eq(users.id, agent.id));
    await db.update(users).set({ displayName: "Siti Rahma" }).where(sitiRow);

    const dewi = await addUser(db, "dewi", "admin");
    assert.match(
      await failure(db.update(users).set({ role: "agent" }).where(eq(users.role, "admin"))),
      /kabar:last_admin/,
      "demoting every administrator in one statement is refused as a whole",
    );
    assert.equal((await db.select().from(users).where(eq(users.role, "admin"))).length, 2);

    await db.update(users).set({ role: "agent" }).where(sitiRow);
    assert.match(
      await failure(db.update(users).set({ disabledAt: NOW }).where(eq(users.id, dewi.id))),
      /kabar:last_admin/,
      "now Dewi is the last one",
    );
    await db.update(users).set({ role: "admin" }).where(sitiRow);
    await db.update(users).set({ disabledAt: NOW }).where(eq(users.id, dewi.id));
    assert.match(
      await failure(db.delete(users).where(sitiRow)),
      /kabar:last_admin/,
      "a disabled administrator does not count",
    );
    await db.delete(users).where(eq(users.id, dewi.id));
    const left = await db.select().from(users);
    assert.deepEqual(left.map((u) => [u.username, u.role, u.disabledAt]), [[
      "siti",
      "admin",
      null,
    ]]);
  });
});

Deno.test("rebuilding the search index with prefixes keeps every message once, indexed or not yet", async () => {
  await withTempDb(async (db) => {
    await migrateDb(db);
    const ids = await seedConversation(db);
    const message = (body: string) => ({
      ...ids,
      direction: "in" as const,
      type: "text" as const,
      body,
      status: "received" as const,
      createdAt: NOW,
      updatedAt: NOW,
    });
    await db.insert(messages).values([message("Hasil laboratorium"), message("Lab buka jam 7")]);
    await indexNewMessages(db);
    await db.insert(messages).values(message("Labu siam untuk pasien diet"));
    // What migration 0021 does on a database that has messages, one not indexed yet.
    await runMigrationFiles(db, "0021", "0022");
    await indexNewMessages(db);
    assert.deepEqual(await search(db, '"lab"*'), [1, 2, 3], "each message once, by prefix");
    await db.$client.execute("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')");
  });
});

/** Runs the shipped migration files whose names sort before `until` (all when none), in order. */
async function runMigrationFiles(db: Db, from: string, until?: string): Promise<void> {
  const folder = new URL("../../migrations/", import.meta.url);
  const names = (await Array.fromAsync(Deno.readDir(folder)))
    .map((e) => e.name)
    .filter((n) => n.endsWith(".sql") && n >= from && (until === undefined || n < until))
    .sort();
  for (const name of names) {
    const sql = await Deno.readTextFile(new URL(name, folder));
    for (const statement of sql.split("--> statement-breakpoint")) {
      const text = statement.replace(/^--.*$/gm, "").trim();
      if (text) await db.$client.execute(text);
    }
  }
}

Deno.test("broadcasts stored under the old state names keep their state under the new ones, rows and all", async () => {
  await withTempDb(async (db) => {
    await runMigrationFiles(db, "0000", "0027");
    await db.$client.executeMultiple(`
      INSERT INTO channels (id, kind, name, created_at, updated_at) VALUES (1, 'sandbox', 'Uji', 1, 1);
      INSERT INTO broadcasts (id, name, channel_id, body, status, created_at, updated_at) VALUES
        (1, 'Lama terkirim', 1, 'Halo', 'sending', 1, 1),
        (2, 'Lama selesai', 1, 'Halo', 'done', 1, 1),
        (3, 'Draf', 1, 'Halo', 'draft', 1, 1);
      INSERT INTO broadcast_recipients (broadcast_id, phone, status) VALUES (1, '6281234567001', 'pending');
    `);
    await runMigrationFiles(db, "0027");
    const { rows } = await db.$client.execute("SELECT id, status FROM broadcasts ORDER BY id");
    assert.deepEqual(rows.map((r) => [r.id, r.status]), [[1, "running"], [2, "finished"], [
      3,
      "draft",
    ]]);
    const [row] = (await db.$client.execute(
      "SELECT broadcast_id, row, input, phone, status FROM broadcast_recipients",
    )).rows;
    assert.deepEqual({ ...row }, {
      broadcast_id: 1,
      row: 1,
      input: "6281234567001",
      phone: "6281234567001",
      status: "pending",
    });
  });
});
