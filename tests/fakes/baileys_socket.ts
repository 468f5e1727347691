/**
 * A Baileys socket without a network, for the WhatsApp adapter's tests. It is
 * typed against Baileys' own types, and its event emitter is Baileys' real
 * one, so a change in Baileys' contract breaks compilation here.
 */
import {
  type AnyMessageContent,
  type ConnectionState,
  type Contact,
  type LIDMapping,
  makeEventBuffer,
  type MiscMessageGenerationOptions,
  type SocketConfig,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WAMessageUpdate,
  type WASocket,
} from "@whiskeysockets/baileys";
import type { MakeWhatsAppSocket, WhatsAppSocket } from "../../sessions/whatsapp.ts";

const quietLogger: SocketConfig["logger"] = {
  level: "silent",
  child: () => quietLogger,
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** An error shaped like Baileys' Boom, as found in `lastDisconnect.error`. */
export function boomError(
  statusCode: number,
  message = `Connection closed (${statusCode})`,
): Error & { output: { statusCode: number } } {
  return Object.assign(new Error(message), { output: { statusCode } });
}

/** One `sendMessage` call. */
export interface SentCall {
  jid: string;
  content: AnyMessageContent;
  options?: MiscMessageGenerationOptions;
}

/** A fake socket recording what the adapter asks, with helpers to play WhatsApp's part. */
export class FakeBaileysSocket implements WhatsAppSocket {
  readonly ev: WASocket["ev"] = makeEventBuffer(quietLogger);
  user: Contact | undefined = undefined;
  readonly sent: SentCall[] = [];
  readonly pairingRequests: string[] = [];
  /** The JIDs of each `onWhatsApp` call. */
  readonly lookups: string[][] = [];
  /** Who is on WhatsApp: asked digits → the user part WhatsApp answers with. */
  readonly onWhatsAppUsers = new Map<string, string>();
  /** The errors `end` was called with. */
  readonly ends: (Error | undefined)[] = [];
  logouts = 0;
  pairingCode = "KBR4PA1R";
  /** When set, `sendMessage` rejects with it. */
  sendError: Error | undefined;
  /** The keys of each `readMessages` call (read receipts sent). */
  readonly reads: WAMessageKey[][] = [];
  /** When set, `readMessages` rejects with it. */
  readError: Error | undefined;
  /** What Baileys' LID mapping store knows: LID user part -> phone user part. */
  readonly lidToPhone = new Map<string, string>();
  readonly signalRepository = {
    lidMapping: {
      getPNForLID: (lid: string) => {
        const phone = this.lidToPhone.get(lid.split("@")[0]);
        return Promise.resolve(phone ? `${phone}@s.whatsapp.net` : null);
      },
    },
  };
  #closed = false;

  constructor(readonly config: UserFacingSocketConfig) {
    // Baileys keeps the creds object it was given current on every update.
    this.ev.on("creds.update", (update) => Object.assign(config.auth.creds, update));
  }

  sendMessage: WASocket["sendMessage"] = (jid, content, options) => {
    this.sent.push({ jid, content, options });
    if (this.sendError) return Promise.reject(this.sendError);
    const id = options?.messageId ?? `3EB0FAKE${String(this.sent.length).padStart(4, "0")}`;
    return Promise.resolve({ key: { remoteJid: jid, fromMe: true, id } });
  };

  updateMediaMessage: WASocket["updateMediaMessage"] = (message) => Promise.resolve(message);

  readMessages: WASocket["readMessages"] = (keys) => {
    this.reads.push(keys);
    return this.readError ? Promise.reject(this.readError) : Promise.resolve();
  };

  onWhatsApp: WASocket["onWhatsApp"] = (...jids) => {
    this.lookups.push(jids);
    // Like Baileys, numbers not on WhatsApp are left out of the answer.
    return Promise.resolve(jids.flatMap((jid) => {
      const user = this.onWhatsAppUsers.get(jid.split("@")[0]);
      return user ? [{ jid: `${user}@s.whatsapp.net`, exists: true }] : [];
    }));
  };

  requestPairingCode: WASocket["requestPairingCode"] = (phoneNumber) => {
    this.pairingRequests.push(phoneNumber);
    return Promise.resolve(this.pairingCode);
  };

  logout: WASocket["logout"] = (msg) => {
    this.logouts++;
    // Baileys ends the socket as logged out once the request is sent.
    void this.end(boomError(401, msg ?? "Intentional Logout"));
    return Promise.resolve();
  };

  end: WASocket["end"] = (error) => {
    this.ends.push(error);
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    // What Baileys' `end` emits last, before dropping the listeners.
    this.ev.emit("connection.update", {
      connection: "close",
      lastDisconnect: { error, date: new Date() },
    });
    this.ev.removeAllListeners("connection.update");
    return Promise.resolve();
  };

  /** Emits a `connection.update`. */
  update(update: Partial<ConnectionState>): void {
    this.ev.emit("connection.update", update);
  }

  /** WhatsApp offers a QR to scan. */
  showQr(qr: string): void {
    this.update({ qr });
  }

  /** The socket logs in as `userId`. */
  open(userId = "6281100000001:7@s.whatsapp.net"): void {
    this.user = { id: userId, name: "Kabar" };
    this.update({ connection: "open" });
  }

  /** The connection drops: with a Boom status code, or a plain network error. */
  close(statusCode?: number): Promise<void> {
    return this.end(
      statusCode === undefined
        ? new Error("WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)")
        : boomError(statusCode),
    );
  }

  /** Messages arrive (`notify`: live; `append`: history or sent from the phone). */
  receive(messages: WAMessage[], type: "notify" | "append" = "notify"): void {
    this.ev.emit("messages.upsert", { messages, type });
  }

  /** Status updates of messages. */
  updateMessages(updates: WAMessageUpdate[]): void {
    this.ev.emit("messages.update", updates);
  }

  /** WhatsApp tells which phone number a LID belongs to. */
  mapLid(mapping: LIDMapping): void {
    this.ev.emit("lid-mapping.update", mapping);
  }
}

/** A `makeSocket` that builds fake sockets and keeps them for the test to drive. */
export function fakeSocketMaker(): {
  makeSocket: MakeWhatsAppSocket;
  sockets: FakeBaileysSocket[];
} {
  const sockets: FakeBaileysSocket[] = [];
  return {
    sockets,
    makeSocket: (config) => {
      const socket = new FakeBaileysSocket(config);
      sockets.push(socket);
      return socket;
    },
  };
}
