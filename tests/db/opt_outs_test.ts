import assert from "node:assert/strict";
import { type Actor, CLI_ACTOR } from "../../db/audit_log.ts";
import {
  addOptOut,
  isOptedOut,
  listOptOuts,
  optedOutAmong,
  readOptOutSettings,
  removeOptOut,
  saveOptOutSettings,
} from "../../db/opt_outs.ts";
import { DEFAULT_OPT_OUT_SETTINGS, isStopWord, splitStopWords } from "../../core/opt_out.ts";
import { withTempDb } from "../support/temp_db.ts";

const staff: Actor = { userId: null, name: "rina", ip: "10.0.0.7" };

async function audit(db: Parameters<typeof isOptedOut>[0]) {
  const { rows } = await db.$client.execute(
    "SELECT action, target, actor FROM audit_log WHERE action LIKE 'opt_out.%' ORDER BY id",
  );
  return rows.map((r) => [String(r.action), String(r.target), String(r.actor)]);
}

Deno.test("a number added twice stays as it was first; removing answers the entry once", async () => {
  await withTempDb(async ({ db, clock }) => {
    const first = await addOptOut(db, clock, staff, { phone: "6281234567890", source: "staff" });
    assert.equal(first.added, true);
    assert.equal(first.entry.source, "staff");
    const at = first.entry.createdAt;
    clock.advance(60_000);
    const again = await addOptOut(db, clock, CLI_ACTOR, { phone: "6281234567890", source: "api" });
    assert.equal(again.added, false);
    assert.equal(again.entry.source, "staff", "the entry as it was");
    assert.equal(again.entry.createdAt, at);
    assert.equal(await isOptedOut(db, "6281234567890"), true);
    assert.equal(await isOptedOut(db, "6281234567891"), false);

    const removed = await removeOptOut(db, clock, staff, "6281234567890");
    assert.equal(removed?.phone, "6281234567890");
    assert.equal(await removeOptOut(db, clock, staff, "6281234567890"), undefined);
    assert.equal(await isOptedOut(db, "6281234567890"), false);
    assert.deepEqual(await audit(db), [
      ["opt_out.add", "phone:6281234567890", "rina"],
      ["opt_out.remove", "phone:6281234567890", "rina"],
    ], "one line per change, none for what changed nothing");
  });
});

Deno.test("the list pages newest first with a cursor, and finds part of a number", async () => {
  await withTempDb(async ({ db, clock }) => {
    for (let i = 0; i < 7; i++) {
      await addOptOut(db, clock, staff, { phone: `62812345678${i}0`, source: "staff" });
      if (i % 2 === 0) clock.advance(1000); // some share a time: the rowid orders them
    }
    const seen: string[] = [];
    let cursor;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listOptOuts(db, {}, { cursor, limit: 3 });
      seen.push(...page.rows.map((r) => r.phone));
      if (!page.next) break;
      cursor = page.next;
    }
    assert.deepEqual(seen, [6, 5, 4, 3, 2, 1, 0].map((i) => `62812345678${i}0`));
    const found = await listOptOuts(db, { digits: "678" + "30" }, { limit: 10 });
    assert.deepEqual(found.rows.map((r) => r.phone), ["6281234567830"]);
    const none = await listOptOuts(db, { digits: "%" }, { limit: 10 });
    assert.deepEqual(none.rows, [], "a % is a character, not a wildcard");
  });
});

Deno.test("optedOutAmong answers which of thousands of numbers are on the list", async () => {
  await withTempDb(async ({ db, clock }) => {
    await addOptOut(db, clock, staff, { phone: "6281200000003", source: "staff" });
    await addOptOut(db, clock, staff, { phone: "6281200009999", source: "api" });
    const phones = Array.from(
      { length: 12_000 },
      (_, i) => `628120000${String(i).padStart(4, "0")}`,
    );
    const out = await optedOutAmong(db, [...phones, "6281200000003"]);
    assert.deepEqual([...out].sort(), ["6281200000003", "6281200009999"]);
    assert.deepEqual([...(await optedOutAmong(db, []))], []);
  });
});

Deno.test("the stop-word settings: defaults until saved, then as saved, audited", async () => {
  await withTempDb(async ({ db, clock }) => {
    assert.deepEqual(await readOptOutSettings(db), DEFAULT_OPT_OUT_SETTINGS);
    await saveOptOutSettings(db, clock, staff, {
      stopWords: ["STOP", "Batal"],
      confirm: true,
      confirmText: "Baik, tidak ada siaran lagi.",
    });
    assert.deepEqual(await readOptOutSettings(db), {
      stopWords: ["STOP", "Batal"],
      confirm: true,
      confirmText: "Baik, tidak ada siaran lagi.",
    });
    assert.deepEqual(await audit(db), [["opt_out.settings", "settings:opt_out", "rina"]]);
  });
});

Deno.test("a stop word is the whole text, in any case, spaces around it aside", () => {
  const words = ["STOP", "BERHENTI", "UNSUBSCRIBE"];
  for (
    const text of [
      "STOP",
      "stop",
      "berhenti",
      "  Unsubscribe ",
      "\nStop\t",
      // What a phone keyboard may add or make: a zero-width space, full-width letters, a NUL.
      "\u200bSTOP",
      "S\u200bTOP",
      "ＳＴＯＰ",
      "STOP\u0000",
    ]
  ) {
    assert.equal(isStopWord(text, words), true, JSON.stringify(text));
  }
  for (const text of ["STOP please", "stop.", "", "   ", "STOPP", "tolong stop"]) {
    assert.equal(isStopWord(text, words), false, JSON.stringify(text));
  }
  assert.deepEqual(splitStopWords("STOP, Berhenti\n\n  keluar  sekarang ,"), [
    "STOP",
    "Berhenti",
    "keluar sekarang",
  ]);
});
