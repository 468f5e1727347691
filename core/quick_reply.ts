/**
 * A quick reply picked in the reply box: its `{{variables}}` filled from the
 * patient and the agent, in the words staff write them in (Indonesian or
 * English); any other variable (`{{tanggal}}`) stays for the agent to fill
 * before sending.
 */
import { fillKnownVariables } from "./template.ts";

export interface QuickReplyContext {
  contactName: string | null;
  /** E.164 digits, shown with `+`. */
  phone: string | null;
  /** The contact's free attributes (`no_rm`, `poli`…), by their own names. */
  attributes: Record<string, string>;
  agentName: string;
}

/** The values a quick reply's variables may take, by every name they go by. */
export function quickReplyValues(context: QuickReplyContext): Record<string, string> {
  const values: Record<string, string> = { ...context.attributes };
  const name = context.contactName?.trim();
  if (name) {
    for (const key of ["name", "nama", "contact", "kontak", "pasien", "patient"]) {
      values[key] = name;
    }
  }
  if (context.phone) {
    for (const key of ["phone", "nomor", "telepon", "hp", "no_hp"]) {
      values[key] = `+${context.phone}`;
    }
  }
  for (const key of ["agent", "agen", "petugas", "staff", "cs"]) values[key] = context.agentName;
  return values;
}

/** The quick reply's text as the reply box receives it. */
export function fillQuickReply(body: string, context: QuickReplyContext): string {
  return fillKnownVariables(body, quickReplyValues(context));
}
