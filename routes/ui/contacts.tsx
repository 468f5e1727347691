import { type Context, Hono } from "hono";
import { AppError, forbidden, notFound } from "../../core/app_error.ts";
import { contactFormSchema, readContactQuery } from "../../core/contact_input.ts";
import type { Viewer } from "../../core/conversation_visibility.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { encodeCursor } from "../../core/keyset_cursor.ts";
import { CONTACT_MANAGERS } from "../../core/permissions.ts";
import { parseRecordId } from "../../core/record_id.ts";
import type { ContactListRow } from "../../db/contact_list.ts";
import type { ContactDetail } from "../../db/contacts.ts";
import { listLabels } from "../../db/labels.ts";
import { listUsers } from "../../db/users.ts";
import {
  ImportMappingPage,
  ImportReportPage,
  ImportUploadPage,
} from "../../views/contact_import_page.tsx";
import { ContactPage } from "../../views/contact_page.tsx";
import { type ContactRowView, ContactsPage } from "../../views/contacts_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";
import { optOutView } from "./opt_outs.tsx";

const PAGE_SIZE = 50;
const MERGE_CANDIDATES = 10;

const rowView = (r: ContactListRow): ContactRowView => ({
  id: r.id,
  name: r.name,
  pushName: r.pushName,
  phone: r.phone,
  telegramChatId: r.telegramChatId,
  labels: r.labels,
  lastActivityAt: r.lastActivityAt,
});

/**
 * `/contacts` (every role finds and edits contacts; supervisors and admins
 * also import, export, merge and delete them).
 */
export function contactRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;
  const contacts = deps.services.contacts;

  const canManage = (c: Context<AppEnv>) => CONTACT_MANAGERS.includes(c.get("user")!.role);
  const requireManager = (c: Context<AppEnv>) => {
    if (!canManage(c)) throw forbidden("Only supervisors and administrators may do this");
  };
  const viewerOf = async (c: Context<AppEnv>): Promise<Viewer> => {
    const user = c.get("user")!;
    const [me] = await listUsers(db, user.id);
    return { id: user.id, role: user.role, departmentIds: me?.departments.map((d) => d.id) ?? [] };
  };
  const contactOf = async (c: Context<AppEnv>): Promise<ContactDetail> => {
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    if (id === undefined) throw notFound(`No contact with id ${raw.slice(0, 40)}`);
    return await contacts.get(id);
  };
  const queryOf = (c: Context<AppEnv>) =>
    readContactQuery({
      q: c.req.query("q"),
      label: c.req.query("label"),
      cursor: c.req.query("cursor"),
    });

  const showList = async (
    c: Context<AppEnv>,
    add?: { values: FormValues; errors: FieldErrors; status: 409 | 422 },
  ) => {
    const query = queryOf(c);
    const page = query.errors ? undefined : await contacts.list(
      { q: query.q, labelId: query.labelId },
      { cursor: query.cursor, limit: PAGE_SIZE },
    );
    const keep = new URLSearchParams(query.values);
    const next = page?.next ? new URLSearchParams(keep) : undefined;
    next?.set("cursor", encodeCursor(page!.next!));
    return renderPage(
      c,
      <ContactsPage
        ctx={pageContext(c, deps)}
        rows={(page?.rows ?? []).map(rowView)}
        labels={await listLabels(db)}
        values={query.values}
        errors={query.errors}
        nextHref={next ? `/contacts?${next}` : undefined}
        exportHref={canManage(c) ? `/contacts/export.csv${keep.size ? `?${keep}` : ""}` : undefined}
        canManage={canManage(c)}
        add={add}
      />,
      query.errors ? 400 : add?.status ?? 200,
    );
  };

  app.get("/contacts", (c) => showList(c));

  app.post("/contacts", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(contactFormSchema(config.phoneRegion), values);
    if (!parsed.ok) return showList(c, { values, errors: parsed.errors, status: 422 });
    try {
      const created = await contacts.create(actorOf(c, deps), parsed.data);
      setFlash(c, config, "success", "contacts.created");
      return redirectTo(c, `/contacts/${created.id}`);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) {
        return showList(c, {
          values,
          errors,
          status: e instanceof AppError && e.status === 409 ? 409 : 422,
        });
      }
      throw e;
    }
  });

  app.get("/contacts/export.csv", async (c) => {
    requireManager(c);
    const query = queryOf(c);
    if (query.errors) {
      throw new AppError(400, "bad_request", "The search of the export is not valid", query.errors);
    }
    const body = await contacts.exportCsv(
      actorOf(c, deps),
      { q: query.q, labelId: query.labelId },
      { timeZone: config.timeZone },
    );
    const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="kabar-contacts-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });

  const maxMb = Math.floor(config.mediaMaxBytes / 1024 / 1024);
  const showUpload = (c: Context<AppEnv>, errors?: FieldErrors) =>
    renderPage(
      c,
      <ImportUploadPage ctx={pageContext(c, deps)} maxMb={maxMb} errors={errors} />,
      errors ? 422 : 200,
    );

  app.get("/contacts/import", (c) => {
    requireManager(c);
    return showUpload(c);
  });

  app.post("/contacts/import", async (c) => {
    requireManager(c);
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const file = body.file;
    if (!(file instanceof File) || (file.size === 0 && file.name === "")) {
      return showUpload(c, { file: "err.import_no_file" });
    }
    try {
      const id = await contacts.upload({
        data: new Uint8Array(await file.arrayBuffer()),
        fileName: file.name,
      });
      return redirectTo(c, `/contacts/import/${id}`);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showUpload(c, errors);
      throw e;
    }
  });

  const fileIdOf = (c: Context<AppEnv>) => c.req.param("file") ?? "";
  const sheetOf = (text: string | undefined) =>
    /^\d{1,3}$/.test(text ?? "") ? Number(text) : undefined;
  const showMapping = async (
    c: Context<AppEnv>,
    sheet: number | undefined,
    failed?: { values: FormValues; errors: FieldErrors },
  ) => {
    let preview;
    try {
      preview = await contacts.preview(fileIdOf(c), sheet);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) {
        return showUpload(c, { file: "err.import_gone" });
      }
      const errors = fieldErrorsOf(e);
      if (errors) return showUpload(c, errors);
      throw e;
    }
    const guess: FormValues = {
      phone: preview.guess.phone === undefined ? "" : String(preview.guess.phone),
      name: preview.guess.name === undefined ? "" : String(preview.guess.name),
      email: preview.guess.email === undefined ? "" : String(preview.guess.email),
      attr: preview.columns.map((_, i) => String(i)).filter((i) =>
        ![preview.guess.phone, preview.guess.name, preview.guess.email].includes(Number(i))
      ),
    };
    return renderPage(
      c,
      <ImportMappingPage
        ctx={pageContext(c, deps)}
        view={preview}
        values={failed?.values ?? guess}
        errors={failed?.errors}
      />,
      failed ? 422 : 200,
    );
  };

  app.get("/contacts/import/:file{[0-9a-f]{32}}", (c) => {
    requireManager(c);
    return showMapping(c, sheetOf(c.req.query("sheet")));
  });

  app.post("/contacts/import/:file{[0-9a-f]{32}}", async (c) => {
    requireManager(c);
    const values = await formValues(c);
    const sheet = sheetOf(typeof values.sheet === "string" ? values.sheet : undefined);
    let report;
    try {
      report = await contacts.runImport(actorOf(c, deps), fileIdOf(c), sheet ?? 0, values);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) {
        return showUpload(c, { file: "err.import_gone" });
      }
      const errors = fieldErrorsOf(e);
      if (errors) return showMapping(c, sheet, { values, errors });
      throw e;
    }
    return renderPage(c, <ImportReportPage ctx={pageContext(c, deps)} report={report} />);
  });

  const showContact = async (
    c: Context<AppEnv>,
    contact: ContactDetail,
    failed?: {
      values?: FormValues;
      errors?: FieldErrors;
      mergeError?: string;
      deleteError?: string;
      status: 409 | 422;
    },
  ) => {
    const viewer = await viewerOf(c);
    const conversations = await contacts.conversations(viewer, contact.id);
    const mergeQ = (c.req.query("merge_q") ?? "").trim().slice(0, 100);
    const managing = canManage(c);
    const optedOut = contact.phone ? await deps.services.optOuts.get(contact.phone) : undefined;
    const candidates = managing && mergeQ !== ""
      ? (await contacts.list({ q: mergeQ }, {
        limit: MERGE_CANDIDATES,
        exceptId: contact.id,
      })).rows.map(rowView)
      : undefined;
    return renderPage(
      c,
      <ContactPage
        ctx={pageContext(c, deps)}
        contact={contact}
        conversations={conversations.map((r) => ({
          id: r.id,
          channelName: r.channel.name,
          status: r.status,
          assigneeName: r.assignee?.name ?? null,
          labels: r.labels,
          unreadCount: r.unreadCount,
          lastActivityAt: r.lastActivityAt,
        }))}
        values={failed?.values}
        errors={failed?.errors}
        canManage={managing}
        merge={{ q: mergeQ, candidates, error: failed?.mergeError }}
        deleteError={failed?.deleteError}
        optOut={{ entry: optedOut && optOutView(optedOut), canChange: managing }}
      />,
      failed?.status ?? 200,
    );
  };

  app.get("/contacts/:id{[0-9]+}", async (c) => showContact(c, await contactOf(c)));

  app.post("/contacts/:id{[0-9]+}", async (c) => {
    const contact = await contactOf(c);
    const values = await formValues(c);
    const parsed = parseForm(contactFormSchema(config.phoneRegion), values);
    if (!parsed.ok) {
      return showContact(c, contact, { values, errors: parsed.errors, status: 422 });
    }
    try {
      await contacts.update(actorOf(c, deps), contact.id, parsed.data);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) {
        return showContact(c, contact, {
          values,
          errors,
          status: e instanceof AppError && e.status === 409 ? 409 : 422,
        });
      }
      throw e;
    }
    setFlash(c, config, "success", "contacts.saved");
    return redirectTo(c, `/contacts/${contact.id}`);
  });

  app.post("/contacts/:id{[0-9]+}/delete", async (c) => {
    requireManager(c);
    const contact = await contactOf(c);
    try {
      await contacts.delete(actorOf(c, deps), contact.id);
    } catch (e) {
      if (e instanceof AppError && e.status === 409) {
        return showContact(c, contact, {
          deleteError: c.get("t")("err.contact_has_conversations"),
          status: 409,
        });
      }
      throw e;
    }
    setFlash(c, config, "success", "contacts.deleted", {
      name: contact.name ?? contact.pushName ?? (contact.phone ? `+${contact.phone}` : "—"),
    });
    return redirectTo(c, "/contacts");
  });

  app.post("/contacts/:id{[0-9]+}/merge", async (c) => {
    requireManager(c);
    const contact = await contactOf(c);
    const values = await formValues(c);
    const t = c.get("t");
    const otherId = parseRecordId(typeof values.other === "string" ? values.other : undefined);
    const refuse = (error: string) => showContact(c, contact, { mergeError: error, status: 409 });
    if (otherId === undefined) return refuse(t("err.contact_merge_missing"));
    let other: ContactDetail;
    try {
      other = await contacts.get(otherId);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) return refuse(t("err.contact_merge_missing"));
      throw e;
    }
    try {
      await contacts.merge(actorOf(c, deps), contact.id, other.id);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      const d = e.details;
      return refuse(
        e.status === 409 && typeof d.field === "string"
          ? t("err.contact_merge_conflict", {
            field: d.field,
            keep: String(d.keep),
            drop: String(d.drop),
          })
          : t("err.contact_merge_self"),
      );
    }
    setFlash(c, config, "success", "contacts.merged", {
      name: other.name ?? other.pushName ?? (other.phone ? `+${other.phone}` : `#${other.id}`),
    });
    return redirectTo(c, `/contacts/${contact.id}`);
  });

  return app;
}
