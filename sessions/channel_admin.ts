/**
 * Adding and removing channels, as the channels page and the API both do
 * it: a bot token is checked with Telegram first, a new channel starts at
 * once, a removed WhatsApp device is logged out on the phone too.
 */
import { AppError } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { Actor } from "../db/audit_log.ts";
import { type Channel, createChannel, deleteChannel } from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import type { ChannelRegistry } from "./registry.ts";
import { checkTelegramToken } from "./telegram.ts";

export interface ChannelAdminDeps {
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  registry: ChannelRegistry;
  telegramApiRoot: string;
}

/** A channel to add; `phone` (E.164 digits) for WhatsApp, `token` for Telegram. */
export interface ChannelToAdd {
  kind: ChannelKind;
  name: string;
  phone?: string;
  token?: string;
}

/**
 * Adds and starts a channel. A bot token Telegram refuses (or cannot be
 * checked) is a 422 on `token`; a number already in use a 409 on `phone`.
 */
export async function addChannel(
  deps: ChannelAdminDeps,
  actor: Actor,
  input: ChannelToAdd,
): Promise<Channel> {
  let sealedSecret: string | undefined;
  let botUsername: string | undefined;
  if (input.kind === "telegram") {
    const check = await checkTelegramToken(input.token ?? "", deps.telegramApiRoot);
    if (!check.ok) {
      throw new AppError(
        check.problem === "unreachable" ? 503 : 422,
        check.problem === "unreachable" ? "telegram_unreachable" : "invalid_input",
        check.reason,
        { token: check.problem === "unreachable" ? "err.telegram_unreachable" : "err.bot_token" },
      );
    }
    sealedSecret = await deps.secretBox.seal(input.token!);
    botUsername = check.username;
  }
  const channel = await createChannel(deps.db, deps.clock, actor, {
    kind: input.kind,
    name: input.name,
    phone: input.kind === "whatsapp" ? input.phone : undefined,
    sealedSecret,
    botUsername,
  });
  await deps.registry.start(channel.id);
  return channel;
}

/**
 * Deletes a channel: a WhatsApp device is logged out (on the phone too when
 * it is connected), the adapter stops, waiting messages fail, history stays.
 */
export async function removeChannel(
  deps: ChannelAdminDeps,
  actor: Actor,
  channel: Channel,
): Promise<{ failedMessages: number; loggedOutOnPhone: boolean }> {
  const { remote } = channel.kind === "whatsapp"
    ? await deps.registry.logout(channel.id)
    : { remote: true };
  await deps.registry.stop(channel.id);
  const { failedMessages } = await deleteChannel(deps.db, deps.clock, actor, channel.id);
  return { failedMessages, loggedOutOnPhone: remote };
}
