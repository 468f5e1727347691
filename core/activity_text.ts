/**
 * A thread's system line as one plain English sentence, for the JSON API
 * ("Assigned to Rina by Budi", "Reopened by the patient's message"). The
 * pages word them in the viewer's language themselves.
 */
import type { ActivityKind } from "./activity_kind.ts";

const STATUS_WORDS: Record<string, string> = {
  open: "Reopened",
  pending: "Put on hold",
  resolved: "Resolved",
};

/**
 * The sentence of a system line: `kind`, who did it (`actor`: a staff member's or an API
 * key's name; null: the patient or Kabar) and what it names (`details`).
 */
export function activitySentence(
  kind: ActivityKind,
  actor: string | null,
  details: Record<string, string>,
): string {
  const by = actor === null ? "" : ` by ${actor}`;
  switch (kind) {
    case "assigned":
      return `Assigned to ${details.name ?? "someone"}${by}`;
    case "unassigned":
      return `Unassigned${by}`;
    case "department":
      return details.name === undefined
        ? `Taken out of its department${by}`
        : `Moved to department ${details.name}${by}`;
    case "labelled":
      return `Labelled ${details.name ?? "?"}${by}`;
    case "unlabelled":
      return `Label ${details.name ?? "?"} taken off${by}`;
    case "status": {
      if (actor === null && details.status === "open") return "Reopened by the patient's message";
      return `${STATUS_WORDS[details.status] ?? `Status set to ${details.status}`}${by}`;
    }
    default:
      return `${String(kind)}${by}`;
  }
}
