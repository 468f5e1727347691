/**
 * `kabar demo seed`: fills the database with a hospital's believable
 * conversations (core/demo_hospital.ts) on two sandbox channels, for a first
 * look at the inbox and for the benchmarks' large databases.
 *
 * Written in large transactions of multi-row INSERTs with explicit ids
 * (read just before each transaction; a transaction that loses a race with
 * another writer is built again on the new ids and retried), each also
 * adding its messages to the search index, so the database is whole and
 * searchable after every commit. Running it again adds more.
 */
import type { InStatement, InValue } from "@libsql/client";
import type { Clock } from "../core/clock.ts";
import { CONVERSATION_STATUSES } from "../core/conversation_status.ts";
import { demoPdf, demoPng } from "../core/demo_files.ts";
import {
  DEMO_CHANNELS,
  DEMO_LABELS,
  demoConversation,
  type DemoMessage,
  demoPhone,
  FAILURE_REASONS,
  patientName,
  pick,
  pickTopic,
  type Random,
  seededRandom,
  type Topic,
  TOPIC_LABEL,
} from "../core/demo_hospital.ts";
import { CLI_ACTOR } from "./audit_log.ts";
import { createChannel } from "./channels.ts";
import type { Db } from "./client.ts";
import { createDepartment, listDepartments } from "./departments.ts";
import { labelNamed, listLabels } from "./labels.ts";
import { saveMedia } from "./media.ts";
import { INDEX_NEW_MESSAGES } from "./search_index.ts";
import { listUsers } from "./users.ts";

export interface DemoSeedOptions {
  contacts: number;
  messages: number;
  /** The random source's seed: the same seed on an empty database gives the same data. */
  seed?: number;
  /** Hears how far the seeding is after each transaction. */
  progress?: (done: { contacts: number; messages: number }) => void;
}

/** Something the seed made, or found and used. */
export interface SeededThing {
  id: number;
  name: string;
  created: boolean;
}

export interface DemoSeedReport {
  channels: SeededThing[];
  departments: SeededThing[];
  labels: SeededThing[];
  /** Existing staff the conversations were assigned to (none are created). */
  assignees: { id: number; name: string }[];
  media: { image: string; document: string };
  contacts: number;
  conversations: number;
  messages: number;
  events: number;
  labelled: number;
  assigned: number;
}

/** Largest values `kabar demo seed` takes. */
export const DEMO_MAX_CONTACTS = 1_000_000;
export const DEMO_MAX_MESSAGES = 20_000_000;

const DAY = 24 * 60 * 60 * 1000;
const SPREAD = 90 * DAY;
/** A conversation has about this many messages at least, while contacts allow more conversations. */
const MIN_MESSAGES_PER_CONVERSATION = 3;
/** One transaction holds about this many messages (and ~2.3 times as many status events). */
const MESSAGES_PER_TRANSACTION = 50_000;
const CONVERSATIONS_PER_TRANSACTION = 6_000;
const RETRIES = 5;
/** The page cache while seeding, in KiB (as `PRAGMA cache_size` takes it, negative). */
const SEED_CACHE_KIB = -256 * 1024;

/** Multi-row INSERTs into one table: rows gathered, then cut into statements of `perStatement`. */
class RowInserts {
  readonly #head: string;
  readonly #row: string;
  readonly #width: number;
  readonly #perStatement: number;
  readonly #sql = new Map<number, string>();
  values: InValue[] = [];

  readonly #tail: string;

  /**
   * Rows of `columns`, or (`from`) rows of `from.width` values that
   * `from.select` makes the columns of, its `%ROWS%` standing for the rows.
   */
  constructor(
    table: string,
    columns: string[],
    perStatement: number,
    from?: { width: number; select: string },
  ) {
    const width = from?.width ?? columns.length;
    const [head, tail] = (from?.select ?? "VALUES %ROWS%").split("%ROWS%");
    this.#head = `INSERT INTO ${table} (${columns.join(", ")}) ${head}`;
    this.#tail = tail;
    this.#row = `(${new Array(width).fill("?").join(",")})`;
    this.#width = width;
    this.#perStatement = perStatement;
  }

  get rows(): number {
    return this.values.length / this.#width;
  }

  /** The statements for the rows gathered, which are then forgotten. */
  take(): InStatement[] {
    const out: InStatement[] = [];
    const step = this.#perStatement * this.#width;
    for (let at = 0; at < this.values.length; at += step) {
      const args = this.values.slice(at, at + step);
      const n = args.length / this.#width;
      let sql = this.#sql.get(n);
      if (!sql) {
        sql = this.#head + new Array(n).fill(this.#row).join(",") + this.#tail;
        this.#sql.set(n, sql);
      }
      out.push({ sql, args });
    }
    this.values = [];
    return out;
  }
}

interface Plan {
  now: number;
  seed: number;
  contacts: number;
  conversations: number;
  /** Messages of each conversation. */
  lengths: Uint32Array;
  channelIds: number[];
  departmentIds: number[];
  labelIds: Map<string, number>;
  assignees: number[];
  media: { image: string; document: string };
  /** Filled as contacts are written: each one's id and name, by index. */
  contactIds: Float64Array;
  contactNames: string[];
}

/**
 * Seeds the demo: two sandbox channels, two departments they belong to, a
 * few labels, the two files, then `contacts` patients and `messages`
 * messages in conversations on the channels over the last 90 days.
 */
export async function seedDemo(
  db: Db,
  clock: Clock,
  dataDir: string,
  options: DemoSeedOptions,
): Promise<DemoSeedReport> {
  const { contacts, messages } = options;
  if (contacts === 0 && messages > 0) {
    throw new Error("messages need contacts to come from: give --contacts as well");
  }
  const now = clock.now();
  const seed = options.seed ?? (now % 2_147_483_647);

  // --- what the conversations hang on ---------------------------------------------
  const channels: SeededThing[] = [];
  const existingChannels = await db.$client.execute(
    "SELECT id, name FROM channels WHERE kind = 'sandbox' AND deleted_at IS NULL ORDER BY id",
  );
  for (const { name } of DEMO_CHANNELS) {
    const found = existingChannels.rows.find((r) => r.name === name);
    if (found) channels.push({ id: Number(found.id), name, created: false });
    else {
      const made = await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name });
      channels.push({ id: made.id, name, created: true });
    }
  }
  const departments: SeededThing[] = [];
  const existingDepartments = await listDepartments(db);
  for (const { department } of DEMO_CHANNELS) {
    const found = existingDepartments.find((d) => d.name === department);
    const made = found ?? await createDepartment(db, clock, CLI_ACTOR, department);
    departments.push({ id: made.id, name: department, created: !found });
  }
  await db.$client.batch(
    channels.map((ch, i) => ({
      sql: "INSERT OR IGNORE INTO channel_departments (channel_id, department_id) VALUES (?, ?)",
      args: [ch.id, departments[i].id],
    })),
    "write",
  );
  const labels: SeededThing[] = [];
  const before = new Set((await listLabels(db)).map((l) => l.name.toLowerCase()));
  for (const { name, color } of DEMO_LABELS) {
    const label = await labelNamed(db, name, color, now);
    labels.push({ id: label.id, name: label.name, created: !before.has(name.toLowerCase()) });
  }
  const staff = (await listUsers(db)).filter((u) =>
    u.disabledAt === null && (u.role === "agent" || u.role === "supervisor")
  );
  const assignees = staff.some((u) => u.role === "agent") ? staff : [];
  const media = {
    image: await saveMedia(db, clock, dataDir, {
      data: demoPng(),
      mimeType: "image/png",
      fileName: "foto.png",
    }),
    document: await saveMedia(db, clock, dataDir, {
      data: demoPdf(),
      mimeType: "application/pdf",
      fileName: "hasil-laboratorium.pdf",
    }),
  };

  // --- how many of what --------------------------------------------------------------
  const random = seededRandom(seed);
  const conversationCount = contacts === 0 || messages === 0 ? 0 : Math.max(
    1,
    Math.min(contacts * channels.length, Math.floor(messages / MIN_MESSAGES_PER_CONVERSATION)),
  );
  const plan: Plan = {
    now,
    seed,
    contacts,
    conversations: conversationCount,
    lengths: spread(random, messages, conversationCount),
    channelIds: channels.map((c) => c.id),
    departmentIds: departments.map((d) => d.id),
    labelIds: new Map(labels.map((l) => [l.name, l.id])),
    assignees: assignees.map((u) => u.id),
    media,
    contactIds: new Float64Array(contacts),
    contactNames: new Array(contacts),
  };

  const webhookTrigger = await webhookTriggerToPause(db);
  // A large page cache while seeding: a transaction's pages then stay in memory until its
  // commit instead of being spilled to the log (and rewritten) again and again.
  const cacheSize = Number((await db.$client.execute("PRAGMA cache_size")).rows[0][0]);
  await db.$client.execute(`PRAGMA cache_size = ${SEED_CACHE_KIB}`);
  const totals = {
    contacts: 0,
    conversations: 0,
    messages: 0,
    events: 0,
    labelled: 0,
    assigned: 0,
  };
  try {
    let chunk = 0;
    for (let from = 0; from < conversationCount; chunk++) {
      let to = from;
      let size = 0;
      while (
        to < conversationCount && to - from < CONVERSATIONS_PER_TRANSACTION &&
        size < MESSAGES_PER_TRANSACTION
      ) size += plan.lengths[to++];
      const added = await commitChunk(db, plan, chunk, from, to, webhookTrigger);
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += added[key];
      options.progress?.({ contacts: totals.contacts, messages: totals.messages });
      from = to;
    }
    // Patients who never wrote (fewer conversations than contacts).
    for (let from = conversationCount; from < contacts; chunk++) {
      const to = Math.min(contacts, from + 10_000);
      const added = await commitChunk(db, plan, chunk, from, to, webhookTrigger, true);
      totals.contacts += added.contacts;
      options.progress?.({ contacts: totals.contacts, messages: totals.messages });
      from = to;
    }
  } finally {
    await db.$client.execute(`PRAGMA cache_size = ${Math.trunc(cacheSize)}`);
  }
  return {
    channels,
    departments,
    labels,
    assignees: assignees.map((u) => ({ id: u.id, name: u.displayName })),
    media,
    ...totals,
  };
}

/**
 * `total` messages over `count` conversations: at least one each, the rest
 * by a long-tailed weight (most threads short, a few long ones).
 */
function spread(random: Random, total: number, count: number): Uint32Array {
  const lengths = new Uint32Array(count);
  if (count === 0) return lengths;
  const weights = new Float64Array(count);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    weights[i] = Math.pow(-Math.log(1 - random()), 1.5);
    sum += weights[i];
  }
  const rest = total - count;
  let given = 0;
  for (let i = 0; i < count; i++) {
    lengths[i] = 1 + Math.floor((weights[i] / sum) * rest);
    given += lengths[i];
  }
  for (let i = 0; given < total; i = (i + 1) % count, given++) lengths[i]++;
  return lengths;
}

/**
 * The statements that take the webhook trigger off for one transaction and
 * put it back as it was (no other connection ever sees it gone): made-up
 * history is no news for the hospital's systems, and the trigger's check on
 * each status event cost twice what storing the event did.
 */
async function webhookTriggerToPause(db: Db): Promise<[InStatement, InStatement] | undefined> {
  const { rows } = await db.$client.execute(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'webhook_message_event'",
  );
  if (!rows[0]) return undefined;
  return ["DROP TRIGGER webhook_message_event", String(rows[0].sql)];
}

interface Added {
  contacts: number;
  conversations: number;
  messages: number;
  events: number;
  labelled: number;
  assigned: number;
}

/** Writes conversations [from, to) (or, `contactsOnly`, contacts [from, to)) in one transaction. */
async function commitChunk(
  db: Db,
  plan: Plan,
  chunk: number,
  from: number,
  to: number,
  webhookTrigger: [InStatement, InStatement] | undefined,
  contactsOnly = false,
): Promise<Added> {
  for (let attempt = 1;; attempt++) {
    const { rows } = await db.$client.execute(`SELECT
      max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0),
        (SELECT coalesce(max(id), 0) FROM contacts)) AS contacts,
      max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'conversations'), 0),
        (SELECT coalesce(max(id), 0) FROM conversations)) AS conversations,
      max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0),
        (SELECT coalesce(max(id), 0) FROM messages)) AS messages`);
    const base = {
      contact: Number(rows[0].contacts),
      conversation: Number(rows[0].conversations),
      message: Number(rows[0].messages),
    };
    const built = contactsOnly
      ? await buildContacts(db, plan, chunk, from, to, base.contact)
      : await buildConversations(db, plan, chunk, from, to, base);
    const statements = [
      ...(webhookTrigger ? [webhookTrigger[0]] : []),
      ...built.statements,
      ...(built.added.messages > 0 ? INDEX_NEW_MESSAGES : []),
      ...(webhookTrigger ? [webhookTrigger[1]] : []),
    ];
    try {
      await db.$client.batch(statements, "write");
      built.commit();
      return built.added;
    } catch (e) {
      // Another writer took one of the ids (or a number) in between: build it again.
      if (attempt >= RETRIES || !/constraint/i.test(String(e))) throw e;
    }
  }
}

interface Built {
  statements: InStatement[];
  added: Added;
  /** Remembers what the transaction wrote, once committed. */
  commit: () => void;
}

const CONTACT_COLUMNS = [
  "id",
  "phone",
  "name",
  "push_name",
  "email",
  "attributes",
  "created_at",
  "updated_at",
];

/** Phones for contact ids `ids`, none of them one the database has already. */
async function freshPhones(db: Db, ids: number[]): Promise<string[]> {
  const phones = ids.map((id) => demoPhone(id));
  for (let round = 1;; round++) {
    const { rows } = await db.$client.execute({
      sql: "SELECT value FROM json_each(?) WHERE value IN (SELECT phone FROM contacts)",
      args: [JSON.stringify(phones)],
    });
    if (rows.length === 0) return phones;
    const taken = new Set(rows.map((r) => String(r.value)));
    phones.forEach((p, i) => {
      if (taken.has(p)) phones[i] = demoPhone(ids[i] + round * 1_000_000_000);
    });
  }
}

function contactRow(
  random: Random,
  out: RowInserts,
  id: number,
  phone: string,
  name: string,
  at: number,
): void {
  const first = name.split(" ")[0];
  const pushName = random() < 0.7
    ? name
    : random() < 0.5
    ? first
    : `${first} ${pick(random, ["🌸", "✨", "HP"])}`;
  const email = random() < 0.2
    ? `${name.toLowerCase().replaceAll(" ", ".")}${id % 100}@gmail.com`
    : null;
  const rm = String(100000 + (id * 7919) % 900000).padStart(8, "0");
  out.values.push(
    id,
    phone,
    random() < 0.9 ? name : null,
    pushName,
    email,
    `{"no_rm":"${rm}"}`,
    at,
    at,
  );
}

async function buildContacts(
  db: Db,
  plan: Plan,
  chunk: number,
  from: number,
  to: number,
  base: number,
): Promise<Built> {
  const random = seededRandom(plan.seed + chunk * 7919);
  const ids = Array.from({ length: to - from }, (_, i) => base + 1 + i);
  const phones = await freshPhones(db, ids);
  const rows = new RowInserts("contacts", CONTACT_COLUMNS, 500);
  for (let i = from; i < to; i++) {
    const name = patientName(random);
    contactRow(random, rows, ids[i - from], phones[i - from], name, plan.now - random() * SPREAD);
  }
  return {
    statements: rows.take(),
    added: {
      contacts: to - from,
      conversations: 0,
      messages: 0,
      events: 0,
      labelled: 0,
      assigned: 0,
    },
    commit: () => {},
  };
}

const CONVERSATION_COLUMNS = [
  "id",
  "channel_id",
  "contact_id",
  "status",
  "assignee_id",
  "department_id",
  "unread_count",
  "last_message_at",
  "last_inbound_at",
  "last_activity_at",
  "first_response_at",
  "resolved_at",
  "created_at",
  "updated_at",
];

/** A message's state in its row's code (`type + 3 × state`). */
const RECEIVED = 0, SENT = 1, DELIVERED = 2, READ = 3, FAILED = 4;

const MESSAGE_COLUMNS = [
  "id",
  "channel_id",
  "conversation_id",
  "contact_id",
  "direction",
  "type",
  "body",
  "media_id",
  "status",
  "error",
  "external_id",
  "source",
  "author_id",
  "attempts",
  "created_at",
  "updated_at",
  "sent_at",
  "delivered_at",
  "read_at",
  "failed_at",
];

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Messages as rows of 9 values (binding each value costs more than SQLite's
 * own work on it): id, conversation, body, time, code (`type + 3 × state`),
 * author, sent (or failed) time, delivered time, read time. The channel and
 * contact come from the conversation; the rest follows from the code.
 */
function messageInserts(media: { image: string; document: string }): RowInserts {
  // Numbers are bound as reals: the code is made an integer before it is divided.
  const state = "(CAST(v.column5 AS INTEGER) / 3)";
  const type = "(CAST(v.column5 AS INTEGER) % 3)";
  const reasons = FAILURE_REASONS.map((r, i) => `WHEN ${FAILED + i} THEN ${quote(r)}`).join(" ");
  return new RowInserts("messages", MESSAGE_COLUMNS, 500, {
    width: 9,
    select: `SELECT v.column1, c.channel_id, v.column2, c.contact_id,
        CASE WHEN ${state} = ${RECEIVED} THEN 'in' ELSE 'out' END,
        CASE ${type} WHEN 0 THEN 'text' WHEN 1 THEN 'image' ELSE 'document' END,
        v.column3,
        CASE ${type} WHEN 0 THEN NULL WHEN 1 THEN ${quote(media.image)}
          ELSE ${quote(media.document)} END,
        CASE ${state} WHEN ${RECEIVED} THEN 'received' WHEN ${SENT} THEN 'sent'
          WHEN ${DELIVERED} THEN 'delivered' WHEN ${READ} THEN 'read' ELSE 'failed' END,
        CASE ${state} ${reasons} END,
        CASE WHEN ${state} = ${RECEIVED} THEN 'SBXINDEMO' || printf('%010d', v.column1)
          WHEN ${state} < ${FAILED} THEN 'SBXDEMO' || printf('%010d', v.column1) END,
        CASE WHEN ${state} = ${RECEIVED} THEN NULL WHEN ${type} = 2 THEN 'api' ELSE 'inbox' END,
        v.column6,
        CASE WHEN ${state} = ${RECEIVED} THEN 0 WHEN ${state} >= ${FAILED} THEN 3 ELSE 1 END,
        v.column4,
        coalesce(v.column9, v.column8, v.column7, v.column4),
        CASE WHEN ${state} < ${FAILED} THEN v.column7 END,
        v.column8,
        v.column9,
        CASE WHEN ${state} >= ${FAILED} THEN v.column7 END
      FROM (VALUES %ROWS%) v JOIN conversations c ON c.id = v.column2`,
  });
}

/**
 * The status events of messages `from`..`to`, from their rows: received, or
 * queued, sent, delivered and read at their times, or queued, a retry and
 * failed with the reason.
 */
const EVENTS_OF_MESSAGES = `INSERT INTO message_events (message_id, status, at, detail)
  SELECT m.id, s.status,
    CASE s.n WHEN 0 THEN m.created_at WHEN 1 THEN m.created_at WHEN 2 THEN m.created_at + 2000
      WHEN 3 THEN m.sent_at WHEN 4 THEN m.delivered_at WHEN 5 THEN m.read_at
      ELSE m.failed_at END,
    CASE WHEN s.n IN (2, 6) THEN m.error END
  FROM messages m JOIN (SELECT 0 AS n, 'received' AS status UNION ALL SELECT 1, 'queued'
    UNION ALL SELECT 2, 'retry' UNION ALL SELECT 3, 'sent' UNION ALL SELECT 4, 'delivered'
    UNION ALL SELECT 5, 'read' UNION ALL SELECT 6, 'failed') s
  WHERE m.id BETWEEN ? AND ? AND CASE s.n WHEN 0 THEN m.direction = 'in'
    WHEN 1 THEN m.direction = 'out' AND m.status <> 'queued' WHEN 2 THEN m.status = 'failed'
    WHEN 3 THEN m.sent_at IS NOT NULL WHEN 4 THEN m.delivered_at IS NOT NULL
    WHEN 5 THEN m.read_at IS NOT NULL ELSE m.status = 'failed' END
  ORDER BY m.id, s.n`;

async function buildConversations(
  db: Db,
  plan: Plan,
  chunk: number,
  from: number,
  to: number,
  base: { contact: number; conversation: number; message: number },
): Promise<Built> {
  const random = seededRandom(plan.seed + chunk * 7919);
  const { now, contacts } = plan;
  // Contacts first seen here: those of the first pass over the channels.
  const newContacts: number[] = [];
  for (let k = from; k < to && k < contacts; k++) newContacts.push(k);
  const contactIds = newContacts.map((_, i) => base.contact + 1 + i);
  const phones = await freshPhones(db, contactIds);
  const contactRows = new RowInserts("contacts", CONTACT_COLUMNS, 500);
  const conversationRows = new RowInserts("conversations", CONVERSATION_COLUMNS, 500);
  const messageRows = messageInserts(plan.media);
  const labelRows = new RowInserts("conversation_labels", ["conversation_id", "label_id"], 2000);
  const added: Added = {
    contacts: 0,
    conversations: 0,
    messages: 0,
    events: 0,
    labelled: 0,
    assigned: 0,
  };
  /** Contacts first written in this transaction, by index. */
  const names = new Map<number, { id: number; name: string }>();
  let messageId = base.message;

  for (let k = from; k < to; k++) {
    const conversationId = base.conversation + 1 + (k - from);
    const contactIndex = k % contacts;
    const channelIndex = Math.floor(k / contacts) % plan.channelIds.length;
    const channelId = plan.channelIds[channelIndex];
    const firstSeen = k < contacts;
    const earlier = names.get(contactIndex);
    const name = firstSeen ? patientName(random) : earlier?.name ?? plan.contactNames[contactIndex];
    const contactId = firstSeen
      ? contactIds[k - from]
      : earlier?.id ?? plan.contactIds[contactIndex];
    const topic: Topic = channelIndex === 1 && random() < 0.7 ? "lab" : pickTopic(random);
    const script = demoConversation(random, name, topic, plan.lengths[k]);

    // Place the thread in the last 90 days, ending at a random time before now.
    let duration = 0;
    for (const m of script) duration += m.gapMs;
    const squeeze = duration > SPREAD * 0.9 ? (SPREAD * 0.9) / duration : 1;
    duration *= squeeze;
    const end = now - 60_000 - random() * (SPREAD - duration - 60_000);
    let at = end - duration;

    const assignee = plan.assignees.length > 0 && random() < 0.65
      ? pick(random, plan.assignees)
      : null;
    const departmentId = random() < 0.5 ? plan.departmentIds[channelIndex] : null;

    let lastInbound: number | null = null;
    let lastActivity: number | null = null;
    let firstResponse: number | null = null;
    let trailingInbound = 0;
    let first = 0;
    let last = 0;
    let lastDirection: DemoMessage["direction"] = "in";
    for (const [i, m] of script.entries()) {
      at += m.gapMs * squeeze;
      const t = Math.round(at);
      if (i === 0) first = t;
      last = t;
      lastDirection = m.direction;
      messageId++;
      const type = m.type === "text" ? 0 : m.type === "image" ? 1 : 2;
      if (m.direction === "in") {
        lastInbound = t;
        lastActivity = t;
        trailingInbound++;
        messageRows.values.push(messageId, conversationId, m.body, t, type, null, null, null, null);
        added.events++;
        continue;
      }
      // A lab system sends the documents through the API; staff write the rest in the inbox.
      const fromInbox = m.type !== "document";
      if (fromInbox) {
        lastActivity = t;
        if (lastInbound !== null) firstResponse ??= t;
      }
      trailingInbound = 0;
      const author = fromInbox && plan.assignees.length > 0
        ? assignee ?? pick(random, plan.assignees)
        : null;
      if (random() < 0.015) {
        const reason = Math.floor(random() * FAILURE_REASONS.length);
        const failedAt = Math.min(now, t + 30_000 + Math.round(random() * 600_000));
        messageRows.values.push(
          messageId,
          conversationId,
          m.body,
          t,
          type + 3 * (FAILED + reason),
          author,
          failedAt,
          null,
          null,
        );
        added.events += 3; // queued, retry, failed
        continue;
      }
      const sent = Math.min(now, t + 500 + Math.round(random() * 2_500));
      const delivered = random() < 0.97 ? sent + 1_000 + Math.round(random() * 10_000) : null;
      const readAfter = random() < 0.85
        ? Math.round(30_000 + random() * random() * 2 * 3_600_000)
        : null;
      const read = delivered !== null && readAfter !== null && delivered + readAfter <= now
        ? delivered + readAfter
        : null;
      const shownDelivered = delivered !== null && delivered <= now ? delivered : null;
      const state = read !== null ? READ : shownDelivered !== null ? DELIVERED : SENT;
      messageRows.values.push(
        messageId,
        conversationId,
        m.body,
        t,
        type + 3 * state,
        author,
        sent,
        shownDelivered,
        read,
      );
      added.events += 1 + state; // queued, sent, delivered, read
    }
    added.messages += script.length;

    // Recent threads are still being worked; older ones mostly done.
    const age = now - last;
    const r = random();
    const status: typeof CONVERSATION_STATUSES[number] = age < 3 * DAY
      ? (r < 0.6 ? "open" : r < 0.85 ? "pending" : "resolved")
      : (r < 0.1 ? "open" : r < 0.2 ? "pending" : "resolved");
    const unread = status !== "resolved" && lastDirection === "in" && random() < 0.85
      ? trailingInbound
      : 0;
    const resolvedAt = status === "resolved"
      ? Math.min(now, last + 60_000 + Math.round(random() * 3_600_000))
      : null;
    if (firstSeen) {
      contactRow(random, contactRows, contactId, phones[k - from], name, first);
      names.set(contactIndex, { id: contactId, name });
      added.contacts++;
    }
    conversationRows.values.push(
      conversationId,
      channelId,
      contactId,
      status,
      assignee,
      departmentId,
      unread,
      last,
      lastInbound,
      lastActivity,
      firstResponse,
      resolvedAt,
      first,
      resolvedAt ?? last,
    );
    added.conversations++;
    if (assignee !== null) added.assigned++;
    if (random() < 0.45) {
      const main = plan.labelIds.get(TOPIC_LABEL[topic])!;
      labelRows.values.push(conversationId, main);
      const second = plan.labelIds.get(pick(random, DEMO_LABELS).name)!;
      if (random() < 0.15 && second !== main) labelRows.values.push(conversationId, second);
      added.labelled++;
    }
  }
  return {
    statements: [
      ...contactRows.take(),
      ...conversationRows.take(),
      ...messageRows.take(),
      ...(messageId > base.message
        ? [{ sql: EVENTS_OF_MESSAGES, args: [base.message + 1, messageId] }]
        : []),
      ...labelRows.take(),
    ],
    added,
    commit: () => {
      newContacts.forEach((k, i) => {
        plan.contactIds[k] = contactIds[i];
        plan.contactNames[k] = names.get(k)!.name;
      });
    },
  };
}
