/** A secret just made (an API key, a webhook's signing secret), shown this once to copy. */
export function SecretOnce(
  { id, title, explanation, label, value }: {
    id: string;
    title: string;
    explanation: string;
    label: string;
    value: string;
  },
) {
  return (
    <section class="card secret-once" role="status" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p>{explanation}</p>
      <label class="sr-only" for={`${id}-value`}>{label}</label>
      <input id={`${id}-value`} class="mono key-value" type="text" readonly value={value} />
    </section>
  );
}
