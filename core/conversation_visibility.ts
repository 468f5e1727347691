/**
 * Who may see a conversation. Supervisors and administrators see all. An
 * agent sees a conversation assigned to them, or whose department is one of
 * theirs, or — when it has no department — whose channel belongs to none or
 * to one of theirs. The same rule governs lists, counts, search, live events
 * and the API (the database applies it as SQL with the same three cases).
 */
import type { Role } from "./permissions.ts";

/** The staff member looking. */
export interface Viewer {
  id: number;
  role: Role;
  departmentIds: readonly number[];
}

/** Where a conversation sits: its assignee, its department, its channel's departments. */
export interface ConversationPlace {
  assigneeId: number | null;
  departmentId: number | null;
  channelDepartmentIds: readonly number[];
}

export function canSeeConversation(viewer: Viewer, place: ConversationPlace): boolean {
  if (viewer.role !== "agent") return true;
  if (place.assigneeId === viewer.id) return true;
  if (place.departmentId !== null) return viewer.departmentIds.includes(place.departmentId);
  return place.channelDepartmentIds.length === 0 ||
    place.channelDepartmentIds.some((d) => viewer.departmentIds.includes(d));
}
