/**
 * What the channels pages are told live (see `liveStream`): which events
 * matter to each page and which of its parts they change.
 */
import type { KabarEvent } from "../../sessions/events.ts";
import {
  channelListParts,
  channelPanelParts,
  type ChannelView,
} from "../../views/channels_page.tsx";
import { renderParts } from "../../views/live_part.ts";
import type { PageContext } from "../../views/page_context.ts";
import {
  SandboxBubble,
  sandboxBubblesId,
  SandboxPhone,
  type SandboxThread,
  SandboxThreads,
  SandboxTick,
} from "../../views/sandbox_page.tsx";
import { insertingInto, type LiveParts, replacing, SentParts } from "../live_stream.ts";

/** Events about channel `id`, or any channel: its state, and the messages that move its counters. */
const aboutChannel = (id?: number) => (event: KabarEvent) =>
  (event.type.startsWith("channel.") || event.type.startsWith("message.")) &&
  (id === undefined || ("channelId" in event && event.channelId === id));

/** `/channels`: a channel's row when it changes; the whole list when one is added or deleted. */
export function channelListLive(
  ctx: PageContext,
  load: () => Promise<ChannelView[]>,
): LiveParts {
  const sent = new SentParts();
  return {
    relevant: aboutChannel(),
    render: async (update) => {
      if (update === "all") sent.clear();
      return sent.changed(await renderParts(channelListParts(ctx, await load())));
    },
  };
}

/** `/channels/{id}`: its status, counters, QR code and pairing code, each when it changes. */
export function channelPanelLive(
  ctx: PageContext,
  id: number,
  load: () => Promise<ChannelView>,
): LiveParts {
  const sent = new SentParts();
  return {
    relevant: aboutChannel(id),
    render: async (update) => {
      if (update === "all") sent.clear();
      return sent.changed(await renderParts(channelPanelParts(ctx, await load())));
    },
  };
}

/**
 * `/channels/{id}/sandbox`: a new message is added at the end of its phone
 * (a new phone on top), a status moves the message's tick. The phones stay
 * where they are while the page is open.
 */
export function sandboxLive(
  ctx: PageContext,
  channelId: number,
  load: () => Promise<SandboxThread[]>,
): LiveParts {
  /** The phones and messages the page shows. */
  let phones = new Set<string>();
  let shown = new Set<number>();
  const draw = async (node: unknown) => String(await node);
  return {
    relevant: (event) =>
      event.type.startsWith("message.") && "channelId" in event && event.channelId === channelId,
    render: async (update) => {
      const threads = await load();
      if (update === "all" || phones.size === 0) {
        if (update !== "all" && threads.length === 0) return "";
        phones = new Set(threads.map((thread) => thread.phone));
        shown = new Set(threads.flatMap((thread) => thread.messages.map((m) => m.id)));
        return replacing(await draw(<SandboxThreads ctx={ctx} threads={threads} />));
      }
      const where = new Map(
        threads.flatMap((thread) => thread.messages.map((message) => [message.id, thread])),
      );
      const done = new Set<number>();
      let out = "";
      for (const event of update) {
        if (!("messageId" in event) || done.has(event.messageId)) continue;
        done.add(event.messageId);
        const thread = where.get(event.messageId);
        const message = thread?.messages.find((m) => m.id === event.messageId);
        if (!thread || !message) continue;
        if (!phones.has(thread.phone)) {
          phones.add(thread.phone);
          for (const m of thread.messages) shown.add(m.id);
          const phone = await draw(<SandboxPhone ctx={ctx} thread={thread} />);
          out += insertingInto("sandbox-phones", "start", phone);
        } else if (!shown.has(message.id)) {
          shown.add(message.id);
          const bubble = await draw(<SandboxBubble ctx={ctx} message={message} />);
          out += insertingInto(sandboxBubblesId(thread.phone), "end", bubble);
        } else if (message.direction === "out") {
          out += replacing(await draw(<SandboxTick ctx={ctx} message={message} />));
        }
      }
      return out;
    },
  };
}
