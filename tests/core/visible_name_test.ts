import assert from "node:assert/strict";
import { channelNameSchema } from "../../core/channel_input.ts";
import { createChannelSchema } from "../../core/api_channels.ts";
import { labelSettingsSchema } from "../../core/label_input.ts";
import { departmentSchema, displayNameSchema } from "../../core/user_input.ts";
import { visibleName } from "../../core/visible_name.ts";

Deno.test("a name loses what it cannot show at its ends, and control characters inside", () => {
  assert.equal(visibleName("\u200b Poli Anak \u200e\ufeff"), "Poli Anak");
  assert.equal(visibleName("Poli\nAnak\t\u0000B"), "Poli Anak B");
  assert.equal(visibleName("\u200b\u200d\u2060 "), "");
  assert.equal(visibleName("Dokter 👩‍⚕️"), "Dokter 👩‍⚕️", "the joiner inside an emoji stays");
  assert.equal(visibleName("  Rina  Sari "), "Rina  Sari");
});

Deno.test("a name made only of invisible characters is refused as empty everywhere names are typed", () => {
  const invisible = "\u200b\u200c\ufeff";
  const firstError = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
    result.success ? undefined : result.error!.issues[0].message;
  assert.equal(firstError(channelNameSchema.safeParse(invisible)), "err.channel_name_empty");
  assert.equal(firstError(displayNameSchema.safeParse(invisible)), "err.display_name_empty");
  assert.equal(firstError(departmentSchema.safeParse({ name: invisible })), "err.department_name");
  assert.equal(
    firstError(labelSettingsSchema.safeParse({ name: invisible, color: "#aabbcc" })),
    "err.label_name_empty",
  );
  assert.equal(
    firstError(createChannelSchema.safeParse({ kind: "sandbox", name: invisible })),
    "must not be empty",
  );
  assert.deepEqual(channelNameSchema.parse("\u200bPoli Anak\u200b"), "Poli Anak");
});
