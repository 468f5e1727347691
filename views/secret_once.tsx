/**
 * Secrets just made (an API key, a webhook's signing secret, an
 * integration's keys), shown this once to copy. One value keeps its label
 * for screen readers only; several are labelled on screen.
 */
export function SecretOnce(
  { id, title, explanation, fields }: {
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
      {fields.map(({ label, value }, i) => (
        <div class={single ? undefined : "field"}>
          <label class={single ? "sr-only" : undefined} for={`${id}-value-${i}`}>{label}</label>
          <input
            id={`${id}-value-${i}`}
            class="mono key-value"
            type="text"
            readonly
            value={value}
          />
        </div>
      ))}
    </section>
  );
}
