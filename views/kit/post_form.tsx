import type { Child } from "hono/jsx";
import { CsrfField } from "../form_fields.tsx";

/**
 * A form that posts to `action`: the CSRF field, the fields, then the submit
 * button and an optional way back. Browser checks are off (`novalidate`): the
 * server's messages, in the page's language, say what to fix.
 */
export function PostForm(
  { csrfToken, action, submit, submitClass, cancel, children, class: cls, confirm }: {
    csrfToken: string;
    action: string;
    /** The submit button's text. */
    submit: string;
    /** `secondary` or `danger`; the brand colour when not given. */
    submitClass?: "secondary" | "danger";
    cancel?: { href: string; label: string };
    children?: Child;
    /** Extra classes after `form`. */
    class?: string;
    /** A question asked before posting (`data-confirm`, see app.js). */
    confirm?: string;
  },
) {
  return (
    <form
      method="post"
      action={action}
      class={cls ? `form ${cls}` : "form"}
      novalidate
      data-confirm={confirm}
    >
      <CsrfField token={csrfToken} />
      {children}
      <div class="actions">
        <button type="submit" class={submitClass}>{submit}</button>
        {cancel ? <a class="button secondary" href={cancel.href}>{cancel.label}</a> : null}
      </div>
    </form>
  );
}
