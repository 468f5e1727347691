import type { BroadcastDraft } from "../../db/broadcasts.ts";

/** A draft on `channelId` as the form would make it: a text with variables, any time of day. */
export function broadcastDraft(
  channelId: number,
  overrides: Partial<BroadcastDraft> = {},
): BroadcastDraft {
  return {
    name: "Pengingat kontrol",
    channelId,
    templateId: null,
    body: "Halo {{nama}}, kontrol Anda {{tanggal}}.",
    variables: { tanggal: "Senin" },
    mediaId: null,
    window: null,
    stopAfter: null,
    scheduledAt: null,
    source: "text",
    labelId: null,
    ...overrides,
  };
}
