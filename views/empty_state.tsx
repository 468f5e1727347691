import type { Child } from "hono/jsx";

/** A friendly panel for a list with nothing in it yet. */
export function EmptyState(
  { title, body, action }: { title: string; body: string; action?: Child },
) {
  return (
    <div class="card empty">
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        aria-hidden="true"
      >
        <path d="M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-7l-5 4v-4H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z" />
        <path d="M8 10h8M8 13h5" />
      </svg>
      <h2>{title}</h2>
      <p>{body}</p>
      {action}
    </div>
  );
}
