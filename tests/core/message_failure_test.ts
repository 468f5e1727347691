import assert from "node:assert/strict";
import { failureCode } from "../../core/message_failure.ts";

Deno.test("a stored failure reason is read as one stable code", () => {
  const cases: [string | null, string | null][] = [
    [null, null],
    ["channel deleted", "channel_deleted"],
    ["The file 0f3a is missing from the media store", "media_missing"],
    ["A image message needs a file", "media_missing"],
    ["Telegram refused the message: Forbidden: bot was blocked by the user", "blocked"],
    ["Telegram refused the message: Bad Request: chat not found", "chat_not_found"],
    ["The contact has no phone number", "no_address"],
    ["The contact has no Telegram chat with this bot", "no_address"],
    ["WhatsApp refused the message: the number is not on WhatsApp", "not_on_whatsapp"],
    ["unknown after restart", "interrupted"],
    ["cancelled by Rina", "cancelled"],
    ["WhatsApp refused the message (error 479)", "send_failed"],
    ["Could not reach the Telegram Bot API at http://localhost:8081", "send_failed"],
  ];
  for (const [reason, code] of cases) assert.equal(failureCode(reason), code, String(reason));
});
