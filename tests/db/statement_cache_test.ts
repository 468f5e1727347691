import assert from "node:assert/strict";
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
