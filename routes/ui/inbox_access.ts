/**
 * Who is looking at the inbox, and which conversation they may open: the
 * signed-in person as the visibility rule sees them, and the conversation
 * in the path — 404 when there is none, 403 when it belongs to another
 * department (never a hint of what is in it).
 */
import type { Context } from "hono";
import { forbidden, notFound } from "../../core/app_error.ts";
import { canSeeConversation, type Viewer } from "../../core/conversation_visibility.ts";
import { parseRecordId } from "../../core/record_id.ts";
import type { ConversationActor } from "../../db/conversation_timeline.ts";
import { type ConversationDetail, getConversation } from "../../db/conversations.ts";
import { listUsers, type UserWithDepartments } from "../../db/users.ts";
import type { ReplyTarget, StaffMember } from "../../services/inbox.ts";
import type { AppEnv, Deps } from "../app_env.ts";

export function inboxAccess(deps: Deps) {
  /** The signed-in person as the visibility rule sees them, from `people` (at least them). */
  const viewerAmong = (c: Context<AppEnv>, people: UserWithDepartments[]): Viewer => {
    const user = c.get("user")!;
    const me = people.find((p) => p.id === user.id);
    return { id: user.id, role: user.role, departmentIds: me?.departments.map((d) => d.id) ?? [] };
  };
  const viewerOf = async (c: Context<AppEnv>) =>
    viewerAmong(c, await listUsers(deps.db, c.get("user")!.id));
  const placeOf = (conversation: ConversationDetail) => ({
    assigneeId: conversation.assignee?.id ?? null,
    departmentId: conversation.department?.id ?? null,
    channelDepartmentIds: conversation.channelDepartmentIds,
  });
  const conversationOf = async (c: Context<AppEnv>) => {
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    const conversation = id === undefined ? undefined : await getConversation(deps.db, id);
    if (!conversation) throw notFound(`No conversation with id ${raw}`);
    if (!canSeeConversation(await viewerOf(c), placeOf(conversation))) {
      throw forbidden("This conversation belongs to another department");
    }
    return conversation;
  };
  const staffOf = (c: Context<AppEnv>): StaffMember => {
    const user = c.get("user")!;
    return { id: user.id, name: user.displayName };
  };
  const actorOf = (c: Context<AppEnv>): ConversationActor => {
    const user = c.get("user")!;
    return { userId: user.id, name: user.displayName };
  };
  const targetOf = (conversation: ConversationDetail): ReplyTarget => ({
    id: conversation.id,
    channelId: conversation.channel.id,
    contactId: conversation.contact.id,
  });
  return { viewerAmong, viewerOf, placeOf, conversationOf, staffOf, actorOf, targetOf };
}
