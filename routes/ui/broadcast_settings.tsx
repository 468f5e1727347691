/** `/settings/broadcasts` (administrators): the sending hours new broadcasts start with. */
import { type Context, Hono } from "hono";
import { readWindowFields } from "../../core/broadcast_form.ts";
import type { FieldErrors, FormValues } from "../../core/form.ts";
import { zoneShortName } from "../../core/local_day.ts";
import { DEFAULT_SEND_WINDOW, formatTimeOfDay } from "../../core/send_window.ts";
import { BroadcastSettingsPage } from "../../views/broadcast_settings_page.tsx";
import { localeOf } from "../../views/format_time.ts";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

const PATH = "/settings/broadcasts";

export function broadcastSettingsRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { config } = deps;
  const service = deps.services.broadcasts;

  const show = (c: Context<AppEnv>, values: FormValues, errors?: FieldErrors) =>
    renderPage(
      c,
      <BroadcastSettingsPage
        ctx={pageContext(c, deps)}
        values={values}
        errors={errors}
        zone={zoneShortName(deps.clock.now(), config.timeZone, localeOf(c.get("lang")))}
      />,
      errors ? 422 : 200,
    );

  app.get(PATH, async (c) => {
    const { sendWindow } = await service.settings();
    const shown = sendWindow ?? DEFAULT_SEND_WINDOW;
    return show(c, {
      window_start: formatTimeOfDay(shown.start),
      window_end: formatTimeOfDay(shown.end),
      // A box is ticked by its name being there at all.
      ...(sendWindow ? {} : { any_time: "on" }),
    });
  });

  app.post(PATH, async (c) => {
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const sendWindow = readWindowFields(values, errors);
    if (Object.keys(errors).length) return show(c, values, errors);
    await service.saveSettings(actorOf(c, deps), { sendWindow });
    setFlash(c, config, "success", "broadcasts.settings.saved");
    return redirectTo(c, PATH);
  });

  return app;
}
