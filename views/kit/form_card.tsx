import type { Child } from "hono/jsx";
import type { FieldErrors } from "../../core/form.ts";
import type { Translate } from "../../core/i18n.ts";
import { FormErrorSummary } from "../form_fields.tsx";
import { PostForm } from "./post_form.tsx";

/**
 * A card holding one form: its title (an `<h2>` with `id`, which labels the
 * card), an optional explanation, the summary of what did not pass, then
 * the form with its CSRF field, submit button and optional cancel link.
 */
export function FormCard(
  props: {
    t: Translate;
    csrfToken: string;
    /** The heading's id; the card is labelled by it. */
    id?: string;
    title?: Child;
    intro?: Child;
    action: string;
    submit: string;
    submitClass?: "secondary" | "danger";
    cancel?: { href: string; label: string };
    errors?: FieldErrors;
    children?: Child;
    /** After the form, inside the card (a delete button, say). */
    footer?: Child;
  },
) {
  return (
    <section class="card form-card" aria-labelledby={props.title ? props.id : undefined}>
      {props.title ? <h2 id={props.id}>{props.title}</h2> : null}
      {props.intro ? <p class="muted">{props.intro}</p> : null}
      <FormErrorSummary t={props.t} errors={props.errors} />
      <PostForm
        csrfToken={props.csrfToken}
        action={props.action}
        submit={props.submit}
        submitClass={props.submitClass}
        cancel={props.cancel}
      >
        {props.children}
      </PostForm>
      {props.footer}
    </section>
  );
}
