import { AuthLayout, Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** What went wrong, in words, with a way back; in the app shell when signed in. */
export function ErrorPage(
  { ctx, title, message }: { ctx: PageContext; title: string; message: string },
) {
  const { t } = ctx;
  const body = (
    <div class="card empty">
      <h1>{title}</h1>
      <p>{message}</p>
      <a class="button" href={ctx.user ? "/inbox" : "/login"}>
        {ctx.user ? t("error.home") : t("login.title")}
      </a>
    </div>
  );
  return ctx.user
    ? <Layout ctx={ctx} title={title}>{body}</Layout>
    : <AuthLayout ctx={ctx} title={title}>{body}</AuthLayout>;
}

/** The same message as a fragment, for htmx requests. */
export function ErrorFragment({ message }: { message: string }) {
  return <div class="flash error" role="alert">{message}</div>;
}
