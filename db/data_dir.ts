import { ConfigError } from "../core/config.ts";
import { randomToken } from "../core/tokens.ts";

const SECRET_FILE = "secret.key";

/**
 * Creates the data dir (and its media folder) when missing and proves it is
 * writable. Throws `ConfigError` naming `KABAR_DATA_DIR` when it is not.
 */
export async function prepareDataDir(dir: string): Promise<void> {
  try {
    await Deno.mkdir(`${dir}/media`, { recursive: true });
    const probe = `${dir}/.write-test-${crypto.randomUUID()}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (e) {
    const reason = e instanceof Error
      ? e.message.replace(/:? ?\(os error \d+\).*$/, "")
      : String(e);
    throw new ConfigError(
      "KABAR_DATA_DIR",
      dir,
      `a folder Kabar can create and write (${reason})`,
    );
  }
}

/**
 * The secret key: the configured one, else the one in `<dir>/secret.key`,
 * else a new one written there with permissions 0600.
 */
export async function loadSecretKey(
  dir: string,
  configured?: string,
): Promise<string> {
  if (configured) return configured;
  const path = `${dir}/${SECRET_FILE}`;
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const key = randomToken(32);
  try {
    await Deno.writeTextFile(path, key + "\n", {
      mode: 0o600,
      createNew: true,
    });
    return key;
  } catch (e) {
    // Another process created it first: use theirs.
    if (e instanceof Deno.errors.AlreadyExists) {
      return (await Deno.readTextFile(path)).trim();
    }
    throw e;
  }
}

/**
 * This install's name in channel leases, kept in `<dir>/instance.id`: after
 * a crash, Kabar restarted on the same data dir takes its channels back at
 * once instead of waiting for its old leases to run out.
 */
export async function loadInstanceId(dir: string): Promise<string> {
  const path = `${dir}/instance.id`;
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const id = crypto.randomUUID();
  try {
    await Deno.writeTextFile(path, id + "\n", { createNew: true });
    return id;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return (await Deno.readTextFile(path)).trim();
    throw e;
  }
}
