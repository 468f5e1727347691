/**
 * What staff (and, through the API, the hospital's systems) do with
 * contacts: find them, read and edit their details, delete one nobody wrote
 * with, import a spreadsheet of them, export them as CSV, and merge two rows
 * that are one person. Every change writes its audit line in the same
 * transaction.
 */
import { invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import {
  columnNames,
  guessMapping,
  type ImportMapping,
  type ImportSkip,
  isBlankRow,
  planImport,
  readMapping,
  type SheetRow,
} from "../core/contact_import.ts";
import { contactSearch } from "../core/contact_input.ts";
import type { Viewer } from "../core/conversation_visibility.ts";
import { csvLine, UTF8_BOM } from "../core/csv.ts";
import { FILE_PROBLEM_KEYS, type ImportKind, importKindOf } from "../core/import_file.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import { isoInZone } from "../core/local_day.ts";
import type { Actor } from "../db/audit_log.ts";
import { recordAudit } from "../db/audit_log.ts";
import type { Db } from "../db/client.ts";
import { contactAttributeKeys, type ContactPage, listContacts } from "../db/contact_list.ts";
import {
  type ContactDetail,
  type ContactFields,
  createContact,
  deleteContact,
  importContactRecords,
  mergeContactInto,
  requireContact,
  updateContact,
} from "../db/contacts.ts";
import { type ConversationRow, listConversations } from "../db/conversations.ts";
import {
  findImportFile,
  type ImportFile,
  pruneImportFiles,
  removeImportFile,
  saveImportFile,
} from "../db/import_files.ts";
import { readSheet } from "./contact_sheets.ts";

export interface ContactServiceDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
  mediaMaxBytes: number;
  phoneRegion: string;
}

/** What a list or an export is narrowed to: a search text, a label. */
export interface ContactListFilter {
  q?: string;
  labelId?: number;
  /** Only contacts with a conversation on this channel. */
  channelId?: number;
}

/** An uploaded file read for its column mapping. */
export interface ImportPreview {
  fileId: string;
  kind: ImportKind;
  sheets: string[];
  sheet: number;
  /** Each column's name (its header, or `Column N`). */
  columns: string[];
  /** The first rows after the header, as read. */
  rows: SheetRow[];
  /** Rows with something in them, after the header. */
  rowCount: number;
  /** The columns the headers suggest. */
  guess: Partial<ImportMapping>;
}

/** What an import did, row by row where a row was left out. */
export interface ImportReport {
  created: number;
  updated: number;
  skipped: ImportSkip[];
}

/** How many rows the mapping page shows. */
export const PREVIEW_ROWS = 10;
/** Contacts per page of an export's reads. */
const EXPORT_PAGE = 1000;

export class ContactService {
  constructor(private readonly deps: ContactServiceDeps) {}

  /** One page of contacts that pass `filter`, after `cursor`. */
  list(
    filter: ContactListFilter,
    options: { cursor?: KeysetPosition; limit: number; exceptId?: number },
  ): Promise<ContactPage> {
    return listContacts(this.deps.db, this.#filter(filter, options.exceptId), options);
  }

  #filter(filter: ContactListFilter, exceptId?: number) {
    return {
      search: filter.q ? contactSearch(filter.q, this.deps.phoneRegion) : undefined,
      labelId: filter.labelId,
      exceptId,
      channelId: filter.channelId,
    };
  }

  /** The contact with `id`, or 404. */
  get(id: number): Promise<ContactDetail> {
    return requireContact(this.deps.db, id);
  }

  /** The contact's conversations on every channel that `viewer` may see, newest activity first. */
  async conversations(viewer: Viewer, contactId: number): Promise<ConversationRow[]> {
    const rows: ConversationRow[] = [];
    let cursor: KeysetPosition | undefined;
    do {
      const page = await listConversations(
        this.deps.db,
        viewer,
        { status: "all", contactId },
        { cursor, limit: 100 },
      );
      rows.push(...page.rows);
      cursor = page.next;
    } while (cursor);
    return rows;
  }

  create(actor: Actor, input: ContactFields): Promise<ContactDetail> {
    return createContact(this.deps.db, this.deps.clock, actor, input);
  }

  update(actor: Actor, id: number, input: ContactFields): Promise<ContactDetail> {
    return updateContact(this.deps.db, this.deps.clock, actor, id, input);
  }

  /** Deletes a contact without conversations (409 for one with: merge it instead). */
  delete(actor: Actor, id: number): Promise<ContactDetail> {
    return deleteContact(this.deps.db, this.deps.clock, actor, id);
  }

  /**
   * Merges contact `otherId` into `keepId`: its conversations and messages
   * move, conversations on one channel become one. 409 when the two have
   * different numbers, LIDs or Telegram chats.
   */
  merge(actor: Actor, keepId: number, otherId: number): Promise<ContactDetail> {
    return mergeContactInto(this.deps.db, this.deps.clock, actor, keepId, otherId);
  }

  /**
   * Keeps an uploaded spreadsheet for its import and returns its id: a .csv
   * or .xlsx file of at most the media size limit. An empty file, an old .xls
   * or anything else is refused (422), saying why.
   */
  async upload(file: { data: Uint8Array; fileName: string }): Promise<string> {
    const max = this.deps.mediaMaxBytes;
    if (file.data.byteLength > max) {
      throw invalidInput(`The file is ${file.data.byteLength} bytes; the limit is ${max}`, {
        file: { key: "err.import_too_large", params: { max: Math.floor(max / 1024 / 1024) } },
      });
    }
    const kind = importKindOf(file.data, file.fileName);
    if (!kind.ok) {
      throw invalidInput(
        {
          empty: "The file is empty",
          xls: `${
            JSON.stringify(file.fileName)
          } is an old Excel .xls workbook; save it as .xlsx or .csv`,
          type: `${JSON.stringify(file.fileName)} is not a .csv or .xlsx file`,
        }[kind.problem],
        { file: FILE_PROBLEM_KEYS[kind.problem] },
      );
    }
    await pruneImportFiles(this.deps.dataDir);
    const id = await saveImportFile(this.deps.db, this.deps.dataDir, file.data, kind.kind);
    // A file with no row to import is said at once, not after choosing columns.
    try {
      await this.preview(id);
    } catch (e) {
      await removeImportFile(this.deps.dataDir, id);
      throw e;
    }
    return id;
  }

  async #file(fileId: string): Promise<ImportFile> {
    const file = await findImportFile(this.deps.dataDir, fileId);
    if (!file) {
      throw notFound(`No uploaded file ${fileId.slice(0, 40)}: it was imported, or is too old`);
    }
    return file;
  }

  /**
   * The columns and first rows of sheet `sheet` of an uploaded file (without
   * `sheet`, the first with rows), for choosing the mapping. A file with no
   * row under its header is refused (422); a workbook's empty sheet is shown
   * empty, with its other sheets to choose from.
   */
  async preview(fileId: string, sheet?: number): Promise<ImportPreview> {
    const file = await this.#file(fileId);
    const content = await readSheet(file, sheet);
    const { header, body } = splitHeader(content.rows);
    if ((!header || body.length === 0) && (sheet === undefined || content.sheets.length === 1)) {
      throw invalidInput("The file has no row to import under its header row", {
        file: "err.import_no_rows",
      });
    }
    const width = Math.max(
      header?.cells.length ?? 0,
      ...body.slice(0, 1000).map((r) => r.cells.length),
    );
    return {
      fileId,
      kind: file.kind,
      sheets: content.sheets,
      sheet: content.sheet,
      columns: columnNames(header?.cells ?? [], width),
      rows: body.slice(0, PREVIEW_ROWS),
      rowCount: body.length,
      guess: guessMapping(header?.cells ?? []),
    };
  }

  /**
   * Imports sheet `sheet` of an uploaded file with the mapping `values`
   * (`phone`, `name`, `email`, `attr`: column numbers): contacts with a
   * number Kabar has are updated, the others created, in one transaction;
   * the report names each row left out and why. The file is removed after.
   */
  async runImport(
    actor: Actor,
    fileId: string,
    sheet: number,
    values: Record<string, string | string[] | undefined>,
  ): Promise<ImportReport> {
    const file = await this.#file(fileId);
    const content = await readSheet(file, sheet);
    const { header, body } = splitHeader(content.rows);
    const width = Math.max(header?.cells.length ?? 0, ...body.map((r) => r.cells.length));
    const mapping = readMapping(values, width);
    if (!mapping.ok) {
      throw invalidInput("Choose the column that holds the phone number", mapping.errors);
    }
    const { records, skipped } = planImport(
      header?.cells ?? [],
      body,
      mapping.mapping,
      this.deps.phoneRegion,
    );
    const counts = await importContactRecords(this.deps.db, this.deps.clock, actor, records, {
      kind: file.kind,
      sheet: content.sheets[content.sheet],
      skipped: skipped.length,
    });
    await removeImportFile(this.deps.dataDir, fileId);
    return { ...counts, skipped };
  }

  /**
   * The contacts that pass `filter` as CSV (UTF-8 with BOM, comma-separated,
   * cells never formulas), streamed a page at a time; the export is written
   * to the audit log first.
   */
  async exportCsv(
    actor: Actor,
    filter: ContactListFilter,
    { timeZone }: { timeZone: string },
  ): Promise<ReadableStream<Uint8Array>> {
    await recordAudit(this.deps.db, this.deps.clock, actor, {
      action: "contact.export",
      details: { q: filter.q || null, label: filter.labelId ?? null },
    });
    const keys = await contactAttributeKeys(this.deps.db);
    const encoder = new TextEncoder();
    const search = this.#filter(filter);
    const db = this.deps.db;
    let cursor: KeysetPosition | undefined;
    let started = false;
    let done = false;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(
            UTF8_BOM + csvLine([
              "id",
              "name",
              "push_name",
              "phone",
              "telegram_chat_id",
              "email",
              "notes",
              "labels",
              "last_activity",
              ...keys,
            ]),
          ));
          return;
        }
        if (done) {
          controller.close();
          return;
        }
        const page = await listContacts(db, search, { cursor, limit: EXPORT_PAGE });
        let chunk = "";
        for (const r of page.rows) {
          chunk += csvLine([
            r.id,
            r.name,
            r.pushName,
            r.phone,
            r.telegramChatId,
            r.email,
            r.notes,
            r.labels.map((l) => l.name).join(", "),
            r.lastActivityAt === null ? "" : isoInZone(r.lastActivityAt, timeZone),
            ...keys.map((k) => r.attributes[k] ?? ""),
          ]);
        }
        if (chunk) controller.enqueue(encoder.encode(chunk));
        cursor = page.next;
        if (!cursor) done = true;
      },
    });
  }
}

/** The header (the first row with something in it) and the rows under it that are not blank. */
function splitHeader(rows: SheetRow[]): { header?: SheetRow; body: SheetRow[] } {
  const at = rows.findIndex((r) => !isBlankRow(r.cells));
  if (at < 0) return { body: [] };
  return { header: rows[at], body: rows.slice(at + 1).filter((r) => !isBlankRow(r.cells)) };
}
