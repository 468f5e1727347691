/**
 * WhatsApp's auth state on a real database file, through the Baileys auth
 * state (sessions/whatsapp_auth_state.ts) over the channel auth store
 * (db/channel_auth.ts): creds and every signal key type round-trip with their
 * buffers, deletes, atomic writes, sealing, and a reopened database.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { eq } from "drizzle-orm";
import {
  type AuthenticationCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
  toNumber,
} from "@whiskeysockets/baileys";
import { SecretBox } from "../../core/secret_box.ts";
import { channelAuthStore } from "../../db/channel_auth.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";
import { channelAuthKeys, channels } from "../../db/schema.ts";
import { loadAuthState } from "../../sessions/whatsapp_auth_state.ts";

const NOW = Date.UTC(2026, 0, 1);
const PHONE = "6281234567890";
const LID = "123456789012345";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-auth-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function open(dir: string): Promise<Db> {
  const db = await openDb(`file:${dir}/kabar.db`);
  await migrateDb(db);
  return db;
}

async function addChannel(db: Db, name: string): Promise<number> {
  const [row] = await db.insert(channels)
    .values({ kind: "whatsapp", name, createdAt: NOW, updatedAt: NOW })
    .returning({ id: channels.id });
  return row.id;
}

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

/** The value with every byte array as a plain `Uint8Array` and undefined fields dropped. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

/** One value of every key type Baileys 7 stores; a new type fails compilation here. */
function everyKeyType(): { [T in keyof SignalDataTypeMap]: Record<string, SignalDataTypeMap[T]> } {
  return {
    "pre-key": {
      "1": { public: bytes(32, 1), private: bytes(32, 2) },
      "2": { public: Buffer.alloc(32, 3), private: Buffer.alloc(32, 4) },
    },
    session: { [`${LID}_1.0`]: bytes(120, 5) },
    "sender-key": { [`120363041234567890@g.us::${LID}::0`]: bytes(80, 6) },
    "sender-key-memory": { "120363041234567890@g.us": { [`${LID}@lid`]: true } },
    "app-state-sync-key": {
      AAAAAHcN: proto.Message.AppStateSyncKeyData.fromObject({
        keyData: bytes(32, 7),
        fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 3] },
        timestamp: 1_767_225_600,
      }),
    },
    "app-state-sync-version": {
      regular_high: {
        version: 12,
        hash: Buffer.alloc(128, 8),
        indexValueMap: { "aW5kZXg=": { valueMac: bytes(32, 9) } },
      },
    },
    "lid-mapping": { [PHONE]: LID, [`${LID}_reverse`]: PHONE },
    "device-list": { [PHONE]: ["0", "12"] },
    tctoken: { [`${LID}@lid`]: { token: Buffer.alloc(24, 10), timestamp: "1767225600" } },
    "identity-key": { [`${LID}.0`]: bytes(33, 11) },
  };
}

async function getAll(
  keys: Awaited<ReturnType<typeof loadAuthState>>["state"]["keys"],
  expected: ReturnType<typeof everyKeyType>,
) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, values] of Object.entries(expected)) {
    out[type] = await keys.get(type as keyof SignalDataTypeMap, [...Object.keys(values), "absent"]);
  }
  return out;
}

function assertSameKeys(
  actual: Record<string, Record<string, unknown>>,
  expected: ReturnType<typeof everyKeyType>,
): void {
  const syncKey = actual["app-state-sync-key"].AAAAAHcN;
  assert.ok(
    syncKey instanceof proto.Message.AppStateSyncKeyData,
    "app state sync keys come back as protobuf objects",
  );
  const wanted = expected["app-state-sync-key"].AAAAAHcN;
  assert.deepEqual(plain(syncKey.keyData), plain(wanted.keyData));
  assert.deepEqual(syncKey.fingerprint?.deviceIndexes, [0, 3]);
  assert.equal(toNumber(syncKey.timestamp), 1_767_225_600);

  const { "app-state-sync-key": _a, ...restActual } = actual;
  const { "app-state-sync-key": _b, ...restExpected } = expected;
  assert.deepEqual(plain(restActual), plain(restExpected));
  assert.ok(
    (actual["pre-key"]["1"] as { public: unknown }).public instanceof Uint8Array,
    "buffers come back as buffers",
  );
}

Deno.test("creds and every key type round-trip through a reopened database, sealed", async () => {
  await withTempDir(async (dir) => {
    const box = await SecretBox.fromSecret("k".repeat(32));
    const expected = everyKeyType();
    let creds: AuthenticationCreds;
    let channelId: number;

    const db = await open(dir);
    try {
      channelId = await addChannel(db, "Toko");
      const auth = await loadAuthState(channelAuthStore(db, box, channelId));
      creds = auth.state.creds;
      assert.equal(creds.registered, false, "fresh creds without a stored state");
      creds.me = { id: `${PHONE}:7@s.whatsapp.net`, lid: `${LID}:7@lid`, name: "Toko" };
      creds.routingInfo = Buffer.from([1, 2, 3]);
      creds.registered = true;
      await auth.saveCreds();
      await auth.state.keys.set(expected as SignalDataSet);

      assertSameKeys(await getAll(auth.state.keys, expected), expected);
    } finally {
      closeDb(db);
    }

    const again = await open(dir);
    try {
      const auth = await loadAuthState(channelAuthStore(again, box, channelId));
      assert.deepEqual(plain(auth.state.creds), plain(creds));
      assert.ok(auth.state.creds.noiseKey.private instanceof Uint8Array);
      assertSameKeys(await getAll(auth.state.keys, expected), expected);

      const rows = await again.select().from(channelAuthKeys);
      assert.equal(rows.length, 1 + Object.values(expected).flatMap(Object.keys).length);
      const everything = JSON.stringify(rows);
      for (const row of rows) assert.match(row.value, /^v1\./, "every value is sealed");
      for (
        const visible of [
          PHONE,
          LID,
          "Toko",
          Buffer.from(creds.noiseKey.private).toString("base64"),
        ]
      ) {
        assert.ok(
          !rows.some((row) => row.value.includes(visible)),
          `${visible} is not readable`,
        );
      }
      assert.ok(everything.includes("lid-mapping"), "types and ids stay readable for lookups");

      const wrongKey = await SecretBox.fromSecret("x".repeat(32));
      await assert.rejects(loadAuthState(channelAuthStore(again, wrongKey, channelId)));
    } finally {
      closeDb(again);
    }
  });
});

Deno.test("null deletes keys; each keys.set is one batch; clear empties one channel only", async () => {
  await withTempDir(async (dir) => {
    const box = await SecretBox.fromSecret("k".repeat(32));
    const db = await open(dir);
    try {
      const toko = await addChannel(db, "Toko");
      const gudang = await addChannel(db, "Gudang");
      const store = channelAuthStore(db, box, toko);
      let sets = 0;
      const { state, saveCreds } = await loadAuthState({
        get: store.get,
        set: (entries) => {
          sets++;
          return store.set(entries);
        },
        clear: store.clear,
      });
      let batches = 0;
      const batch = db.batch.bind(db);
      db.batch = (queries) => {
        batches++;
        return batch(queries);
      };

      // As many pre-keys as Baileys uploads at once, with a session in the same call.
      const preKeys: Record<string, SignalDataTypeMap["pre-key"]> = {};
      for (let id = 1; id <= 812; id++) {
        preKeys[id] = { public: bytes(32, 1), private: bytes(32, 2) };
      }
      await state.keys.set({ "pre-key": preKeys, session: { a: bytes(8, 1), b: bytes(8, 2) } });
      assert.equal(sets, 1, "one AuthStore.set per keys.set");
      assert.equal(batches, 1, "in one database batch");
      assert.equal(Object.keys(await state.keys.get("pre-key", Object.keys(preKeys))).length, 812);

      await state.keys.set({
        "pre-key": { "1": null, "2": null },
        session: { a: null, b: bytes(8, 3) },
      });
      assert.equal(batches, 2);
      assert.deepEqual(Object.keys(await state.keys.get("pre-key", ["1", "2", "3"])), ["3"]);
      assert.deepEqual(plain(await state.keys.get("session", ["a", "b"])), { b: bytes(8, 3) });

      await state.keys.set({});
      assert.equal(sets, 2, "nothing to write, nothing written");

      await saveCreds();
      const other = channelAuthStore(db, box, gudang);
      await other.set([{ type: "session", id: "a", value: "{}" }]);
      await store.clear();
      const left = await db.select().from(channelAuthKeys);
      assert.deepEqual(left.map((row) => [row.channelId, row.type, row.keyId]), [
        [gudang, "session", "a"],
      ]);

      await db.delete(channels).where(eq(channels.id, gudang));
      assert.equal((await db.select().from(channelAuthKeys)).length, 0, "gone with the channel");
    } finally {
      closeDb(db);
    }
  });
});

Deno.test("the last write of a key wins, within one set and across overlapping ones", async () => {
  await withTempDir(async (dir) => {
    const box = await SecretBox.fromSecret("k".repeat(32));
    const db = await open(dir);
    try {
      const store = channelAuthStore(db, box, await addChannel(db, "Toko"));
      await store.set([
        { type: "session", id: "a", value: "1" },
        { type: "session", id: "a", value: null },
        { type: "session", id: "b", value: null },
        { type: "session", id: "b", value: "2" },
      ]);
      assert.deepEqual([...await store.get("session", ["a", "b"])], [["b", "2"]]);

      const { state } = await loadAuthState(store);
      const writes = [1, 2, 3, 4, 5].map((n) =>
        state.keys.set({ "lid-mapping": { [PHONE]: `${LID}${n}` } })
      );
      const read = state.keys.get("lid-mapping", [PHONE]);
      await Promise.all(writes);
      assert.deepEqual(await read, { [PHONE]: `${LID}5` }, "reads see the writes before them");
    } finally {
      closeDb(db);
    }
  });
});
