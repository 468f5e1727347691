import assert from "node:assert/strict";
import {
  BROADCAST_ACTIONS,
  BROADCAST_STATUSES,
  type BroadcastAction,
  type BroadcastStatus,
  nextStatus,
} from "../../core/broadcast_status.ts";

/** Every step the state machine allows, written out; any other is refused. */
const ALLOWED: Record<string, BroadcastStatus> = {
  "draft edit": "draft",
  "confirmed edit": "draft",
  "scheduled edit": "draft",
  "draft confirm": "confirmed",
  "confirmed start": "running",
  "scheduled start": "running",
  "running pause": "paused",
  "paused resume": "running",
  "confirmed cancel": "cancelled",
  "scheduled cancel": "cancelled",
  "running cancel": "cancelled",
  "paused cancel": "cancelled",
  "running finish": "finished",
  "draft delete": "draft",
  "confirmed delete": "confirmed",
  "scheduled delete": "scheduled",
  "finished delete": "finished",
  "cancelled delete": "cancelled",
};

Deno.test("draft → confirmed | scheduled → running ⇄ paused → finished | cancelled, and nothing else", () => {
  for (const from of BROADCAST_STATUSES) {
    for (const action of BROADCAST_ACTIONS) {
      assert.equal(
        nextStatus(from, action as BroadcastAction),
        ALLOWED[`${from} ${action}`],
        `${action} from ${from}`,
      );
    }
  }
  assert.equal(nextStatus("draft", "confirm", { scheduled: true }), "scheduled");
  assert.equal(
    nextStatus("running", "delete"),
    undefined,
    "a running broadcast is cancelled first",
  );
  assert.equal(nextStatus("paused", "edit"), undefined);
  assert.equal(nextStatus("finished", "start"), undefined, "a finished one never starts again");
});
