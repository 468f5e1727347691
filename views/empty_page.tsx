import type { Child } from "hono/jsx";
import { EmptyState } from "./empty_state.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** A section with nothing in it yet: its heading and an empty state. */
export function EmptyPage(
  { ctx, title, emptyTitle, body, action }: {
    ctx: PageContext;
    title: string;
    emptyTitle: string;
    body: string;
    action?: Child;
  },
) {
  return (
    <Layout ctx={ctx} title={title}>
      <PageHead title={title} />
      <EmptyState title={emptyTitle} body={body} action={action} />
    </Layout>
  );
}
