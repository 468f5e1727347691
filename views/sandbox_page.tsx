import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageDirection } from "../core/message_direction.ts";
import { CsrfField, FormErrorSummary, TextAreaField, TextField } from "./form_fields.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** One simulated phone: the person and what passed between them and Kabar. */
export interface SandboxThread {
  phone: string;
  name: string | null;
  messages: Array<{
    id: number;
    direction: MessageDirection;
    type: string;
    body: string | null;
    status: string;
    at: number;
  }>;
}

type SandboxMessage = SandboxThread["messages"][number];

/** The id of the list of messages of the simulated phone with number `phone`. */
export function sandboxBubblesId(phone: string): string {
  return `sandbox-bubbles-${phone}`;
}

/** How far a message Kabar sent has come (sent, delivered, read): a live part. */
export function SandboxTick({ ctx, message }: { ctx: PageContext; message: SandboxMessage }) {
  return (
    <span id={`sandbox-tick-${message.id}`} data-status={message.status}>
      · {ctx.t.maybe(`sandbox.status.${message.status}`) ?? message.status}
    </span>
  );
}

/** One message on a simulated phone: a live part, added when it is sent or received. */
export function SandboxBubble({ ctx, message }: { ctx: PageContext; message: SandboxMessage }) {
  const m = message;
  return (
    // On the simulated phone, Kabar's messages arrive and the person's go out.
    <li
      id={`sandbox-message-${m.id}`}
      class={m.direction === "out" ? "bubble theirs" : "bubble mine"}
      data-message={m.id}
    >
      {m.type !== "text" ? <span class="badge">{m.type}</span> : null}
      <span class="text">{m.body ?? ""}</span>
      <span class="meta small">
        <LocalTime ms={m.at} ctx={ctx} />
        {m.direction === "out" ? <SandboxTick ctx={ctx} message={m} /> : null}
      </span>
    </li>
  );
}

/** One simulated phone: a live part, added when someone new writes or is written to. */
export function SandboxPhone({ ctx, thread }: { ctx: PageContext; thread: SandboxThread }) {
  return (
    <section
      id={`sandbox-phone-${thread.phone}`}
      class="phone card"
      aria-label={`+${thread.phone}`}
    >
      <h2>
        {thread.name ?? `+${thread.phone}`}
        {thread.name ? <span class="small muted mono">+{thread.phone}</span> : null}
      </h2>
      <ol id={sandboxBubblesId(thread.phone)} class="bubbles">
        {thread.messages.map((m) => <SandboxBubble ctx={ctx} message={m} />)}
      </ol>
    </section>
  );
}

/**
 * The simulated phones, newest activity first: a live part, sent whole when
 * the stream opens and for the first phone; after that new phones go on top
 * and new messages at the end of their phone.
 */
export function SandboxThreads({ ctx, threads }: { ctx: PageContext; threads: SandboxThread[] }) {
  if (threads.length === 0) {
    return (
      <div id="sandbox-phones">
        <p class="card muted">{ctx.t("sandbox.empty")}</p>
      </div>
    );
  }
  return (
    <div id="sandbox-phones" class="phones">
      {threads.map((thread) => <SandboxPhone ctx={ctx} thread={thread} />)}
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
      <PageHead
        title={t("sandbox.title", { name: channelName })}
        intro={t("sandbox.intro")}
        actions={<a class="button secondary" href={base}>{t("common.back")}</a>}
      />
      <section class="card" aria-labelledby="sandbox-reply">
        <h2 id="sandbox-reply">{t("sandbox.reply")}</h2>
        <FormErrorSummary t={t} errors={errors} />
        {/* A reply form: Ctrl+Enter sends, as in the inbox. */}
        <form method="post" action={`${base}/sandbox`} class="form reply-form" novalidate>
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
          <TextAreaField
            t={t}
            name="text"
            label={t("sandbox.field.text")}
            values={values}
            errors={errors}
            rows={3}
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
