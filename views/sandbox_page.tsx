import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey } from "../core/i18n.ts";
import { CsrfField, FormErrorSummary, TextField } from "./form_fields.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** One simulated phone: the person and what passed between them and Kabar. */
export interface SandboxThread {
  phone: string;
  name: string | null;
  messages: Array<{
    id: number;
    direction: "in" | "out";
    type: string;
    body: string | null;
    status: string;
    at: number;
  }>;
}

/** The simulated phones, newest activity first; re-sent over SSE on every message. */
export function SandboxThreads({ ctx, threads }: { ctx: PageContext; threads: SandboxThread[] }) {
  const { t } = ctx;
  if (threads.length === 0) return <p class="card muted">{t("sandbox.empty")}</p>;
  return (
    <div class="phones">
      {threads.map((thread) => (
        <section class="phone card" aria-label={`+${thread.phone}`}>
          <h2>
            {thread.name ?? `+${thread.phone}`}
            {thread.name ? <span class="small muted mono">+{thread.phone}</span> : null}
          </h2>
          <ol class="bubbles">
            {thread.messages.map((m) => (
              // On the simulated phone, Kabar's messages arrive and the person's go out.
              <li
                class={m.direction === "out" ? "bubble theirs" : "bubble mine"}
                data-message={m.id}
              >
                {m.type !== "text" ? <span class="badge">{m.type}</span> : null}
                <span class="text">{m.body ?? ""}</span>
                <span class="meta small">
                  <LocalTime ms={m.at} ctx={ctx} />
                  {m.direction === "out"
                    ? (
                      <span data-status={m.status}>
                        · {t(`sandbox.status.${m.status}` as MessageKey)}
                      </span>
                    )
                    : null}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

/** `/channels/{id}/sandbox`: what the simulated people see, and a form to reply as one. */
export function SandboxPage(
  { ctx, channelId, channelName, threads, errors, values }: {
    ctx: PageContext;
    channelId: number;
    channelName: string;
    threads: SandboxThread[];
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  const base = `/channels/${channelId}`;
  return (
    <Layout ctx={ctx} title={t("sandbox.title", { name: channelName })}>
      <div class="page-head">
        <div>
          <h1>{t("sandbox.title", { name: channelName })}</h1>
          <p>{t("sandbox.intro")}</p>
        </div>
        <a class="button secondary" href={base}>{t("common.back")}</a>
      </div>
      <section class="card" aria-labelledby="sandbox-reply">
        <h2 id="sandbox-reply">{t("sandbox.reply")}</h2>
        <FormErrorSummary t={t} errors={errors} />
        <form method="post" action={`${base}/sandbox`} class="form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <TextField
            t={t}
            name="phone"
            label={t("sandbox.field.phone")}
            hint={t("sandbox.field.phone_hint")}
            values={values}
            errors={errors}
            inputmode="numeric"
            required
          />
          <TextField
            t={t}
            name="name"
            label={t("sandbox.field.name")}
            values={values}
            errors={errors}
            maxlength={80}
          />
          <TextField
            t={t}
            name="text"
            label={t("sandbox.field.text")}
            values={values}
            errors={errors}
            maxlength={4096}
            required
          />
          <div class="actions">
            <button type="submit">{t("sandbox.send")}</button>
          </div>
        </form>
      </section>
      <div id="live" data-live={`${base}/sandbox/live`}>
        <SandboxThreads ctx={ctx} threads={threads} />
      </div>
    </Layout>
  );
}
