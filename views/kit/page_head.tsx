import type { Child } from "hono/jsx";

/**
 * The head of a page: its title (the page's one `<h1>`), a line saying what
 * the page is for, and the page's own buttons or links on the right (below
 * on a phone).
 */
export function PageHead(
  { title, intro, actions, mono }: {
    title: Child;
    intro?: Child;
    actions?: Child;
    /** The title and intro are names or addresses, in a fixed-width font. */
    mono?: "title" | "intro";
  },
) {
  return (
    <div class="page-head">
      <div class="page-head-text">
        <h1 class={mono === "title" ? "mono" : undefined}>{title}</h1>
        {intro ? <p class={mono === "intro" ? "mono" : undefined}>{intro}</p> : null}
      </div>
      {actions ? <div class="actions">{actions}</div> : null}
    </div>
  );
}
