import { type Context, Hono } from "hono";
import { AppError, notFound } from "../../core/app_error.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import {
  type LabelSettingsInput,
  labelSettingsSchema,
  quotedValue,
} from "../../core/label_input.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { LabelsPage } from "../../views/labels_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/**
 * `/settings/labels` (supervisors and administrators; agents get 403): add,
 * rename, recolour and delete the labels staff put on conversations.
 */
export function labelRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { config } = deps;
  const service = deps.services.labels;

  const show = async (
    c: Context<AppEnv>,
    failed?: { id?: number; errors: FieldErrors; values: FormValues },
  ) =>
    renderPage(
      c,
      <LabelsPage ctx={pageContext(c, deps)} labels={await service.list()} failed={failed} />,
      failed ? 422 : 200,
    );

  const idParam = (c: Context<AppEnv>) => {
    const id = parseRecordId(c.req.param("id") ?? "");
    if (id === undefined) throw notFound(`No label with id ${c.req.param("id")}`);
    return id;
  };

  /** Validates the form, runs `save`, and shows the page again with errors by the form. */
  const save = async (
    c: Context<AppEnv>,
    id: number | undefined,
    run: (input: LabelSettingsInput) => Promise<void>,
  ) => {
    const values = await formValues(c);
    const parsed = parseForm(labelSettingsSchema, values);
    if (!parsed.ok) return show(c, { id, errors: parsed.errors, values });
    try {
      await run(parsed.data);
    } catch (e) {
      if (e instanceof AppError && e.status === 409) {
        const errors: FieldErrors = {
          name: { key: "err.label_taken", params: { value: quotedValue(parsed.data.name) } },
        };
        return show(c, { id, errors, values });
      }
      throw e;
    }
    setFlash(c, config, "success", id === undefined ? "labels.created" : "labels.updated", {
      name: parsed.data.name,
    });
    return redirectTo(c, "/settings/labels");
  };

  app.get("/settings/labels", (c) => show(c));

  app.post("/settings/labels", (c) =>
    save(c, undefined, async (input) => {
      await service.create(actorOf(c, deps), input);
    }));

  app.post("/settings/labels/:id", (c) => {
    const id = idParam(c);
    return save(c, id, (input) => service.update(actorOf(c, deps), id, input));
  });

  app.post("/settings/labels/:id/delete", async (c) => {
    const deleted = await service.remove(actorOf(c, deps), idParam(c));
    setFlash(c, config, "success", "labels.deleted", {
      name: deleted.name,
      count: deleted.conversationCount,
    });
    return redirectTo(c, "/settings/labels");
  });

  return app;
}
