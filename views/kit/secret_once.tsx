import type { Translate } from "../../core/i18n.ts";

/**
 * Secrets just made (an API key, a webhook's signing secret, an
 * integration's keys), shown this once to copy: each in a read-only field
 * with a Copy button (`data-copy`, see app.js), which says "Copied" once the
 * secret is on the clipboard. One value keeps its label for screen readers
 * only; several are labelled on screen.
 */
export function SecretOnce(
  { t, id, title, explanation, fields }: {
    t: Translate;
    id: string;
    title: string;
    explanation: string;
    fields: Array<{ label: string; value: string }>;
  },
) {
  const single = fields.length === 1;
  return (
    <section class="card secret-once" role="status" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p>{explanation}</p>
      {fields.map(({ label, value }, i) => {
        const input = `${id}-value-${i}`;
        return (
          <div class="field">
            <label class={single ? "sr-only" : undefined} for={input}>{label}</label>
            <div class="copy-row">
              <input id={input} class="mono key-value" type="text" readonly value={value} />
              <button
                type="button"
                class="secondary copy-button"
                data-copy={input}
                data-copied={t("common.copied")}
                data-copy-failed={t("common.copy_failed")}
                aria-describedby={`${input}-copied`}
              >
                {t("common.copy")}
              </button>
            </div>
            <span class="hint copy-note" id={`${input}-copied`} aria-live="polite"></span>
          </div>
        );
      })}
    </section>
  );
}
