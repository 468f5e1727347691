/**
 * A live list sends only what changed — rows new or moved to the top, rows
 * redrawn, rows gone — and a page applying those changes (as app.js does)
 * ends with exactly the rows of the new list, in order.
 */
import assert from "node:assert/strict";
import { type ListRow, SentList } from "../../routes/live_stream.ts";

const row = (id: number, text = `r${id}`): ListRow => ({
  id: `c${id}`,
  html: `<li id="c${id}">${text}</li>`,
});

/** What a page shows after applying `changes` to `shown` (the rules of app.js's swapParts). */
function apply(shown: ListRow[], changes: string): ListRow[] {
  let page = [...shown];
  for (
    const m of changes.matchAll(
      /<template hx-swap-oob="movetop:#list">(.*?)<\/template>|<li hx-swap-oob="true" id="(c\d+)">(.*?)<\/li>|<i id="(c\d+)" hx-swap-oob="delete"><\/i>/g,
    )
  ) {
    if (m[1] !== undefined) {
      const top = [...m[1].matchAll(/<li id="(c\d+)">(.*?)<\/li>/g)].map((r) => ({
        id: r[1],
        html: r[0],
      }));
      page = [...top, ...page.filter((p) => !top.some((t) => t.id === p.id))];
    } else if (m[2] !== undefined) {
      page = page.map((
        p,
      ) => (p.id === m[2] ? { id: m[2], html: `<li id="${m[2]}">${m[3]}</li>` } : p));
    } else {
      page = page.filter((p) => p.id !== m[4]);
    }
  }
  return page;
}

Deno.test("a new row, a moved row, a redrawn row and a row gone are sent alone", () => {
  const sent = new SentList("list");
  const first = [row(5), row(4), row(3), row(2), row(1)];
  assert.equal(sent.changes(first), undefined, "the first list goes whole");

  const next = [row(6), row(3, "r3 read"), row(5), row(4), row(2)];
  const changes = sent.changes(next)!;
  assert.match(
    changes,
    /^<template hx-swap-oob="movetop:#list"><li id="c6">r6<\/li><li id="c3">r3 read<\/li><\/template>/,
  );
  assert.doesNotMatch(changes, /c5|c4|c2"/, "rows that stayed as they were are not sent");
  assert.match(changes, /<i id="c1" hx-swap-oob="delete"><\/i>/);
  assert.deepEqual(apply(first, changes), next);

  const redrawn = [row(6), row(3, "r3 read"), row(5, "r5 new text"), row(4), row(2)];
  const only = sent.changes(redrawn)!;
  assert.equal(only, `<li hx-swap-oob="true" id="c5">r5 new text</li>`);
  assert.deepEqual(apply(next, only), redrawn);
});

Deno.test("random lists: applying the changes always gives the new list", () => {
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const sent = new SentList("list", 5);
  let shown: ListRow[] = [];
  let alone = 0;
  let ids = [3, 2, 1];
  for (let step = 0; step < 500; step++) {
    // A list as a live inbox changes: rows come in on top, move up, go, are redrawn.
    ids = [...ids];
    for (let ops = random(3); ops >= 0; ops--) {
      const op = random(5);
      if (op === 0) ids.unshift(100 + step * 10 + ops);
      else if (op === 1 && ids.length) ids.unshift(...ids.splice(random(ids.length), 1));
      else if (op === 2 && ids.length) ids.splice(random(ids.length), 1);
      else if (op === 3) ids = ids.slice(0, 6);
    }
    const next = ids.map((id) => row(id, `r${id}.${random(3)}`));
    const changes = sent.changes(next);
    if (changes !== undefined) alone++;
    shown = changes === undefined ? next : apply(shown, changes);
    assert.deepEqual(shown, next, `step ${step}`);
  }
  assert.ok(alone > 100, `most steps sent their changes alone (${alone} of 500)`);
});
