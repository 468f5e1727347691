/** Template kinds: `quick_reply` templates are offered in the inbox by their shortcut. */
export const TEMPLATE_KINDS = ["message", "quick_reply"] as const;
export type TemplateKind = typeof TEMPLATE_KINDS[number];
