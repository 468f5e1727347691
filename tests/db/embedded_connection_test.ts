import assert from "node:assert/strict";
import Database from "libsql";
import { sqlStatement } from "../../db/embedded_connection.ts";
import { withTempDb } from "../support/temp_db.ts";

Deno.test("a statement run again after the table changed sees the new column", async () => {
  await withTempDb(async ({ db }) => {
    const c = db.$client;
    await c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    await c.execute({ sql: "INSERT INTO notes (text) VALUES (?)", args: ["first"] });
    const before = await c.execute("SELECT * FROM notes");
    assert.deepEqual(before.columns, ["id", "text"]);

    await c.execute("-- as a migration file has it\nALTER TABLE notes ADD COLUMN author TEXT");
    await c.execute({ sql: "INSERT INTO notes (text) VALUES (?)", args: ["second"] });
    const after = await c.execute("SELECT * FROM notes");
    assert.deepEqual(after.columns, ["id", "text", "author"]);
    assert.deepEqual(after.rows.map((r) => r.text), ["first", "second"]);
  });
});

Deno.test("a statement that failed runs again with new arguments", async () => {
  await withTempDb(async ({ db }) => {
    const c = db.$client;
    await c.execute("CREATE TABLE tags (name TEXT PRIMARY KEY)");
    const insert = "INSERT INTO tags (name) VALUES (?) RETURNING name";
    assert.equal((await c.execute({ sql: insert, args: ["urgent"] })).rows[0].name, "urgent");
    await assert.rejects(c.execute({ sql: insert, args: ["urgent"] }), /UNIQUE/);
    assert.equal((await c.execute({ sql: insert, args: ["later"] })).rows[0].name, "later");
    const all = await c.batch(["SELECT name FROM tags ORDER BY name"], "read");
    assert.deepEqual(all[0].rows.map((r) => r.name), ["later", "urgent"]);
  });
});

Deno.test("a group commit on the embedded connection: rows by name, a failing write alone left out", async () => {
  await withTempDb(async ({ db }) => {
    assert.ok(db.$embedded, "the embedded database is used directly");
    const c = db.$client;
    await c.execute(
      "CREATE TABLE beds (id INTEGER PRIMARY KEY, ward TEXT NOT NULL UNIQUE, free INTEGER)",
    );
    // The client marks the statements it shares with the cache as raw, with big integers.
    await c.execute({
      sql: "INSERT INTO beds (ward, free) VALUES (?, ?) RETURNING id, ward",
      args: ["A", 1],
    });
    const outcomes = db.$embedded.commitGroup([
      [sqlStatement({
        sql: "INSERT INTO beds (ward, free) VALUES (?, ?) RETURNING id, ward",
        args: ["B", true],
      })],
      [
        sqlStatement({ sql: "INSERT INTO beds (ward, free) VALUES (?, ?)", args: ["C", 1] }),
        sqlStatement({ sql: "INSERT INTO beds (ward, free) VALUES (?, ?)", args: ["A", 1] }),
      ],
      [sqlStatement({
        sql: "UPDATE beds SET free = :free WHERE ward = :ward",
        args: { free: 0, ward: "A" },
      })],
    ]);
    assert.deepEqual(outcomes[0], [{ rows: [{ id: 2, ward: "B" }], rowsAffected: 0 }]);
    assert.match((outcomes[1] as { error: string }).error, /UNIQUE constraint failed: beds\.ward/);
    assert.deepEqual(outcomes[2], [{ rows: [], rowsAffected: 1 }]);
    const rows = (await c.execute("SELECT ward, free FROM beds ORDER BY id")).rows;
    assert.deepEqual(
      rows.map((r) => [r.ward, r.free]),
      [["A", 0], ["B", 1]],
      "C, of the failed write, was rolled back; the others were committed",
    );
  });
});

Deno.test("a group that cannot take the database's lock fails as a whole, at once", async () => {
  await withTempDb(async ({ db, dir }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
    const other = new Database(`${dir}/kabar.db`);
    other.exec("PRAGMA busy_timeout = 0");
    other.exec("BEGIN IMMEDIATE");
    await db.$client.execute("PRAGMA busy_timeout = 0");
    try {
      const insert = (text: string) => [
        sqlStatement({ sql: "INSERT INTO notes (text) VALUES (?)", args: [text] }),
      ];
      const outcomes = db.$embedded!.commitGroup([insert("a"), insert("b"), insert("c")]);
      assert.equal(outcomes.length, 3);
      for (const outcome of outcomes) {
        assert.match((outcome as { error: string }).error, /locked|busy/i);
      }
    } finally {
      other.exec("ROLLBACK");
      other.close();
      await db.$client.execute("PRAGMA busy_timeout = 5000");
    }
  });
});
