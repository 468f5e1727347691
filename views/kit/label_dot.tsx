import { DEFAULT_LABEL_COLOR } from "../../core/inbox_actions.ts";

/** A dot of a label's colour: an SVG fill, as the page allows no inline style. */
export function LabelDot({ color }: { color: string }) {
  return (
    <svg class="label-dot" viewBox="0 0 10 10" aria-hidden="true">
      <circle cx="5" cy="5" r="5" fill={safeColor(color)} />
    </svg>
  );
}

/** A label's colour as stored (`#rrggbb`); anything else is the default grey. */
function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : DEFAULT_LABEL_COLOR;
}
