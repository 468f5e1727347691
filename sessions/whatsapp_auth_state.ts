/**
 * Baileys' auth state (creds and signal keys) kept in an {@link AuthStore}.
 * Values are JSON written with Baileys' `BufferJSON`, so buffers survive.
 */
import {
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from "@whiskeysockets/baileys";
import type { AuthStore } from "../core/channel_types.ts";

/** The store type under which the creds are kept. */
export const CREDS_TYPE = "creds";
/** The store id of the creds (the only entry of their type). */
export const CREDS_ID = "";

/** What `makeWASocket` needs for `auth`, plus how to persist the creds it changes. */
export interface WhatsAppAuthState {
  state: AuthenticationState;
  /** Writes the current creds; call on every `creds.update`. */
  saveCreds(): Promise<void>;
  /** Resolves once every write asked for so far has finished. */
  settled(): Promise<void>;
  /**
   * Deletes the whole auth state after the writes already asked for, and
   * ignores any write asked for later: the session it belonged to is over.
   */
  clear(): Promise<void>;
}

/** Serialises a creds object or signal key the way Baileys' own stores do. */
export function encodeAuthValue(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

/** Reads back what {@link encodeAuthValue} wrote, with buffers as `Buffer`. */
export function decodeAuthValue(text: string): unknown {
  return JSON.parse(text, BufferJSON.reviver);
}

/**
 * Loads the creds from `store` (fresh ones when there are none yet) and wraps
 * the store as Baileys' signal key store.
 *
 * Writes run one after another in call order and reads wait for the writes
 * before them: sealing is asynchronous, so two overlapping writes of the same
 * key could otherwise land in the wrong order, and a late write could bring
 * back keys just cleared.
 */
export async function loadAuthState(store: AuthStore): Promise<WhatsAppAuthState> {
  const stored = (await store.get(CREDS_TYPE, [CREDS_ID])).get(CREDS_ID);
  const creds = stored === undefined
    ? initAuthCreds()
    : decodeAuthValue(stored) as AuthenticationState["creds"];

  let writes: Promise<void> = Promise.resolve();
  let cleared = false;
  const enqueue = (task: () => Promise<void>): Promise<void> => {
    const done = writes.then(task);
    writes = done.catch(() => {});
    return done;
  };
  const write = (entries: Parameters<AuthStore["set"]>[0]): Promise<void> =>
    cleared ? Promise.resolve() : enqueue(() => store.set(entries));

  const keys: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      await writes;
      const found = await store.get(type, ids);
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const [id, text] of found) {
        const value = decodeAuthValue(text);
        out[id] = (type === "app-state-sync-key"
          ? proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>)
          : value) as SignalDataTypeMap[T];
      }
      return out;
    },
    async set(data: SignalDataSet) {
      const entries: { type: string; id: string; value: string | null }[] = [];
      for (const [type, values] of Object.entries(data)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          entries.push({ type, id, value: value == null ? null : encodeAuthValue(value) });
        }
      }
      if (entries.length > 0) await write(entries);
    },
  };

  return {
    state: { creds, keys },
    saveCreds: () => write([{ type: CREDS_TYPE, id: CREDS_ID, value: encodeAuthValue(creds) }]),
    settled: () => writes,
    clear: () => {
      cleared = true;
      return enqueue(() => store.clear());
    },
  };
}
