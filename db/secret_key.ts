/**
 * Kabar's secret key: where it comes from (`KABAR_SECRET_KEY`, else
 * `<data dir>/secret.key`), and the proof at every start that it is the key
 * the database's secrets were sealed with.
 */
import { eq } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import { SecretBox, secretKeyProblem } from "../core/secret_box.ts";
import { randomToken } from "../core/tokens.ts";
import type { Db } from "./client.ts";
import { reasonOf } from "./data_dir.ts";
import { settings } from "./schema.ts";

/** The setting holding a value sealed with the key, opened at every start. */
export const SECRET_KEY_CHECK_SETTING = "secret_key_check";
const CHECK_TEXT = "kabar secret key check";
const SECRET_FILE = "secret.key";

/** A secret key Kabar cannot start with; the message says what is wrong and what to do. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/**
 * The secret box of this install, once its key is known to be right:
 * - the key is `configured` (`KABAR_SECRET_KEY`), else read from
 *   `<dataDir>/secret.key`; a new file is made only when the database holds
 *   nothing yet;
 * - an empty or short key is refused, the same for both;
 * - the key must open the check value kept in `settings`, or, on a database
 *   from before the check value, one of the secrets sealed in it; then the
 *   check value is stored (the first of several processes starting at once
 *   stores it, the others must open theirs).
 *
 * Throws `SecretKeyError` otherwise.
 */
export async function loadSecretKey(
  db: Db,
  clock: Clock,
  dataDir: string,
  configured?: string,
): Promise<SecretBox> {
  const file = `${dataDir}/${SECRET_FILE}`;
  const origin = configured !== undefined ? "KABAR_SECRET_KEY" : `the secret key file ${file}`;
  const whatToDo = configured !== undefined
    ? `Set KABAR_SECRET_KEY to the key this database was made with (the content of ${SECRET_FILE} ` +
      `in the backup taken with it), or unset it to use ${file}; restore that file from a backup ` +
      `if it is gone.`
    : `Restore ${file} from the backup taken with this database, or set KABAR_SECRET_KEY to the ` +
      `key this database was made with.`;
  const key = configured ?? await readOrCreateKey(db, file, whatToDo);
  const problem = secretKeyProblem(key);
  if (problem) {
    const fresh = configured === undefined && !(await holdsData(db))
      ? ` (This database holds nothing yet: deleting ${file} lets Kabar make a new key.)`
      : "";
    throw new SecretKeyError(`${origin} ${problem}. ${whatToDo}${fresh}`);
  }
  const box = await SecretBox.fromSecret(key);
  const wrongKey = () =>
    new SecretKeyError(
      `${origin} does not open the secrets this database holds: it is not the key this ` +
        `database was made with. ${whatToDo}`,
    );

  let check = await readCheck(db);
  if (check === undefined) {
    const samples = await sealedSamples(db);
    if (samples.length > 0 && !(await opensAny(box, samples))) throw wrongKey();
    await db.insert(settings).values({
      key: SECRET_KEY_CHECK_SETTING,
      value: JSON.stringify(await box.seal(CHECK_TEXT)),
      updatedAt: clock.now(),
    }).onConflictDoNothing();
    // Another process may have stored its own first: this key must open that one.
    check = await readCheck(db);
  }
  if (check === undefined || !(await opensAny(box, [check], CHECK_TEXT))) throw wrongKey();
  return box;
}

async function readOrCreateKey(db: Db, file: string, whatToDo: string): Promise<string> {
  const existing = await readKeyFile(file);
  if (existing !== undefined) return existing;
  if (await holdsData(db)) {
    // A process starting at the same time may have just made the file (it does so before it
    // stores the check value this saw).
    const made = await readKeyFile(file);
    if (made !== undefined) return made;
    throw new SecretKeyError(
      `the secret key file ${file} is missing, but the database already holds data sealed with ` +
        `a key; a new key could not open its channel links, 2FA and webhook secrets, so none is ` +
        `made. ${whatToDo}`,
    );
  }
  return await createKeyFile(file);
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(file)).trim();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    const reason = reasonOf(e);
    throw new SecretKeyError(
      `The secret key file ${file} cannot be read (${reason}): it must be a file readable by ` +
        "Kabar's account. Put the original secret.key back from a backup, or set KABAR_SECRET_KEY.",
    );
  }
}

/**
 * Writes a new key to a temporary file and links it into place, so another
 * process never reads the file half-written, and never replaces one.
 */
async function createKeyFile(file: string): Promise<string> {
  const key = randomToken(32);
  const temp = `${file}.${crypto.randomUUID()}.part`;
  await Deno.writeTextFile(temp, key + "\n", { mode: 0o600, createNew: true });
  try {
    await Deno.link(temp, file);
    return key;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return (await readKeyFile(file)) ?? "";
    // A file system without hard links: create it in place instead.
    try {
      await Deno.writeTextFile(file, key + "\n", { mode: 0o600, createNew: true });
      return key;
    } catch (again) {
      if (again instanceof Deno.errors.AlreadyExists) return (await readKeyFile(file)) ?? "";
      throw again;
    }
  } finally {
    await Deno.remove(temp);
  }
}

async function readCheck(db: Db): Promise<string | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings)
    .where(eq(settings.key, SECRET_KEY_CHECK_SETTING));
  if (!row) return undefined;
  try {
    const value = JSON.parse(row.value);
    return typeof value === "string" ? value : "";
  } catch {
    return "";
  }
}

/** Whether the database already holds anything: users, channels, webhooks, API keys, a check value. */
async function holdsData(db: Db): Promise<boolean> {
  const { rows } = await db.$client.execute({
    sql: `SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM channels)
      OR EXISTS (SELECT 1 FROM webhooks) OR EXISTS (SELECT 1 FROM api_keys)
      OR EXISTS (SELECT 1 FROM settings WHERE key = ?) AS held`,
    args: [SECRET_KEY_CHECK_SETTING],
  });
  return Number(rows[0]?.held ?? 0) === 1;
}

/** One sealed value of each kind the database holds (at most one per column). */
async function sealedSamples(db: Db): Promise<string[]> {
  const sources: [string, string][] = [
    ["webhooks", "secret"],
    ["users", "totp_secret"],
    ["users", "totp_pending_secret"],
    ["channels", "secret"],
    ["channel_auth_keys", "value"],
    ["wappin_integrations", "token_sealed"],
  ];
  const query = sources.map(([table, column]) =>
    `SELECT * FROM (SELECT ${column} AS sealed FROM ${table} WHERE ${column} LIKE 'v1.%' LIMIT 1)`
  ).join(" UNION ALL ");
  const { rows } = await db.$client.execute(query);
  return rows.map((r) => String(r.sealed));
}

/**
 * Whether `box` opens any of `sealed` (to `expected`, when given). One is
 * enough: a wrong key opens none, while a single damaged value must not stop Kabar.
 */
async function opensAny(box: SecretBox, sealed: string[], expected?: string): Promise<boolean> {
  for (const value of sealed) {
    try {
      const text = await box.open(value);
      if (expected === undefined || text === expected) return true;
    } catch {
      // not this key, or not a sealed value
    }
  }
  return false;
}
