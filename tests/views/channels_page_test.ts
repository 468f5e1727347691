import assert from "node:assert/strict";
import { STATUS_REASONS } from "../../core/channel_types.ts";
import { translator } from "../../core/i18n.ts";
import { LANGUAGES } from "../../core/i18n/message.ts";
import { reasonText } from "../../views/channels_page.tsx";

Deno.test("a channel's status reason in words; one the page does not know shows as its code", () => {
  for (const language of LANGUAGES) {
    const t = translator(language);
    for (const reason of STATUS_REASONS) {
      const text = reasonText(t, reason, "whatsapp");
      assert.ok(text, `${language} ${reason}`);
      assert.doesNotMatch(text, /channels\.reason|\{service\}/, `${language} ${reason}: ${text}`);
    }
    assert.equal(
      reasonText(t, "a_reason_from_a_newer_version", "whatsapp"),
      "a_reason_from_a_newer_version",
    );
    assert.equal(reasonText(t, "toString", "telegram"), "toString");
    assert.equal(reasonText(t, null, "whatsapp"), null);
  }
  assert.equal(
    reasonText(translator("en"), "unreachable", "telegram"),
    "Cannot reach the Telegram servers; trying again",
  );
});
