/**
 * The WhatsApp adapter, loaded the first time a WhatsApp channel starts:
 * Baileys costs about 60 MB of memory, which an install without WhatsApp
 * channels should not pay.
 */
import type { AdapterFactory, ChannelAdapter } from "./channel.ts";

/** A factory that imports `sessions/whatsapp.ts` on first use and delegates to it. */
export function lazyWhatsappAdapter(): AdapterFactory {
  let real: Promise<AdapterFactory> | undefined;
  return (context) => {
    let inner: Promise<ChannelAdapter> | undefined;
    let stopped = false;
    const load = () =>
      inner ??= (real ??= import("./whatsapp.ts").then((m) => m.whatsappAdapter()))
        .then((factory) => factory(context));
    return {
      async start() {
        const adapter = await load();
        // Stopped while Baileys was loading: nothing may start afterwards.
        if (!stopped) await adapter.start();
      },
      async stop() {
        stopped = true;
        if (inner) await (await inner).stop();
      },
      async logout() {
        stopped = true;
        await (await load()).logout();
      },
      async send(message) {
        return await (await load()).send(message);
      },
      async checkNumbers(phones) {
        const adapter = await load();
        if (!adapter.checkNumbers) throw new Error("This channel cannot check numbers");
        return await adapter.checkNumbers(phones);
      },
      async requestPairingCode() {
        const adapter = await load();
        if (!adapter.requestPairingCode) throw new Error("This channel has no pairing codes");
        return await adapter.requestPairingCode();
      },
      async markRead(messages) {
        await (await load()).markRead?.(messages);
      },
    };
  };
}
