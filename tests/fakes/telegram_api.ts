/**
 * A fake Telegram Bot API server on 127.0.0.1 for tests. It speaks enough of
 * the real protocol (JSON and multipart requests, long-polled `getUpdates`,
 * `getFile` and file downloads) for grammY's own HTTP client to talk to it.
 */

/** A `from` user on a pushed message. */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

/** A failure the fake answers instead of the next call of a method. */
export type FakeFailure =
  | { error_code: number; description?: string; retry_after?: number }
  /** Answers with a body that is not JSON, which clients treat as a network failure. */
  | "network";

/** A file received with a send call. */
export interface ReceivedFile {
  bytes: Uint8Array;
  fileName?: string;
}

/** One send call the fake accepted. */
export interface SentCall {
  method: string;
  chat_id: string;
  text?: string;
  caption?: string;
  /** The uploaded file, when the call carried one. */
  file?: ReceivedFile;
  /** The file id or URL, when the call named a file instead of uploading one. */
  fileRef?: string;
  message_id: number;
}

/** One request the fake received, in order. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  /** The answer's error code, when the fake failed the call. */
  failedWith?: number | "network";
}

/** What a pushed update returns, to compare with what the adapter reports. */
export interface PushedMessage {
  update_id: number;
  message_id: number;
  chat_id: number;
}

/** A running fake; `close()` it at the end of the test, or `await using` it. */
export interface FakeTelegram extends AsyncDisposable {
  /** The `apiRoot` to give the client, e.g. `http://127.0.0.1:4321`. */
  apiRoot: string;
  token: string;
  /** The bot's own username, as `getMe` answers it. */
  username: string;
  /** Every send call the fake accepted, in order. */
  sent: SentCall[];
  /** Every API request, in order, including failed ones. */
  calls: FakeCall[];
  /** `getUpdates` requests being held open right now. */
  readonly heldPolls: number;
  /** Queues a raw update; `update_id` is set by the fake. */
  pushUpdate(update: Record<string, unknown>): number;
  pushText(chatId: number, text: string, from?: FakeUser): PushedMessage;
  /** A photo with a small thumbnail and the full-size `bytes` as the largest size. */
  pushPhoto(chatId: number, bytes: Uint8Array, caption?: string, from?: FakeUser): PushedMessage;
  pushDocument(
    chatId: number,
    bytes: Uint8Array,
    fileName: string,
    mimeType: string,
    caption?: string,
    from?: FakeUser,
  ): PushedMessage;
  pushVoice(chatId: number, bytes: Uint8Array, from?: FakeUser): PushedMessage;
  /** Makes the next call of `method` fail; several queue up in order. */
  failNext(method: string, failure: FakeFailure): void;
  /** Resolves once the fake has received `count` calls of `method` in total. */
  waitForCall(method: string, count?: number): Promise<void>;
  /** Answers held polls, then stops the server. */
  close(): Promise<void>;
}

const DEFAULT_USER: FakeUser = { id: 5550001, first_name: "Siti", last_name: "Rahma" };

interface Waiter {
  check(): boolean;
  resolve(): void;
}

interface HeldPoll {
  wake(): void;
}

/** Starts a fake Bot API server for `token` on a free port. */
export function startFakeTelegram(
  { token, username = "kabar_test_bot", botId = 7000001 }: {
    token: string;
    username?: string;
    botId?: number;
  },
): FakeTelegram {
  const sent: SentCall[] = [];
  const calls: FakeCall[] = [];
  const updates: Record<string, unknown>[] = [];
  const files = new Map<string, { path: string; bytes: Uint8Array<ArrayBuffer> }>();
  const failures = new Map<string, FakeFailure[]>();
  const held = new Set<HeldPoll>();
  let waiters: Waiter[] = [];
  let nextUpdateId = 100;
  let nextMessageId = 1;
  let nextFileId = 1;
  let closing = false;

  const notify = () => {
    waiters = waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  };
  const wakePolls = () => {
    for (const poll of [...held]) poll.wake();
  };

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  const ok = (result: unknown) => json({ ok: true, result });
  const fail = (error_code: number, description: string, retry_after?: number) =>
    json(
      {
        ok: false,
        error_code,
        description,
        ...(retry_after === undefined ? {} : { parameters: { retry_after } }),
      },
      error_code,
    );

  const storeFile = (bytes: Uint8Array, dir: string, ext: string) => {
    const n = nextFileId++;
    const id = `file-${n}`;
    files.set(id, { path: `${dir}/file_${n}.${ext}`, bytes: new Uint8Array(bytes) });
    return { file_id: id, file_unique_id: `u${n}`, file_size: bytes.length };
  };

  const pushMessage = (chatId: number, from: FakeUser, fields: Record<string, unknown>) => {
    const message_id = nextMessageId++;
    const update_id = pushUpdate({
      message: {
        message_id,
        date: 1767225600 + message_id,
        chat: chatId > 0
          ? {
            id: chatId,
            type: "private",
            first_name: from.first_name,
            last_name: from.last_name,
            username: from.username,
          }
          : { id: chatId, type: "group", title: "A group" },
        from: { is_bot: false, ...from },
        ...fields,
      },
    });
    return { update_id, message_id, chat_id: chatId };
  };

  function pushUpdate(update: Record<string, unknown>): number {
    const update_id = nextUpdateId++;
    updates.push({ ...update, update_id });
    wakePolls();
    return update_id;
  }

  const pending = (offset: number) => updates.filter((u) => (u.update_id as number) >= offset);

  // A poll the client gave up on stays held until it times out, an update
  // arrives or `close()`: reading `request.signal` would make Deno.serve print
  // its legacy-abort warning in every test run.
  async function getUpdates(params: Record<string, unknown>) {
    const offset = Number(params.offset ?? 0);
    const timeout = Number(params.timeout ?? 0);
    const limit = Number(params.limit ?? 100);
    if (offset > 0) {
      // Telegram forgets every update below the offset once it is asked for.
      for (let i = updates.length - 1; i >= 0; i--) {
        if ((updates[i].update_id as number) < offset) updates.splice(i, 1);
      }
    }
    if (pending(offset).length === 0 && timeout > 0 && !closing) {
      await new Promise<void>((resolve) => {
        const poll: HeldPoll = {
          wake() {
            held.delete(poll);
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(poll.wake, timeout * 1000);
        held.add(poll);
      });
    }
    return ok(pending(offset).slice(0, limit));
  }

  const SEND_FILE_FIELD: Record<string, string> = {
    sendPhoto: "photo",
    sendDocument: "document",
    sendAudio: "audio",
    sendVoice: "voice",
    sendVideo: "video",
  };

  function send(
    method: string,
    params: Record<string, unknown>,
    parts: Map<string, { name: string; data: Uint8Array }>,
  ) {
    const chatId = params.chat_id;
    if (chatId === undefined || chatId === "") {
      return fail(400, "Bad Request: chat_id is empty");
    }
    if (String(chatId) === "404") return fail(400, "Bad Request: chat not found");
    const call: SentCall = {
      method,
      chat_id: String(chatId),
      message_id: nextMessageId++,
    };
    if (typeof params.text === "string") call.text = params.text;
    if (typeof params.caption === "string") call.caption = params.caption;
    const field = SEND_FILE_FIELD[method];
    if (field) {
      const value = params[field];
      if (typeof value !== "string" || value === "") {
        return fail(400, `Bad Request: there is no ${field} in the request`);
      }
      if (value.startsWith("attach://")) {
        const part = parts.get(value.slice("attach://".length));
        if (!part) return fail(400, `Bad Request: file ${value} is missing`);
        call.file = { bytes: part.data, fileName: part.name || undefined };
      } else {
        call.fileRef = value;
      }
    } else if (!call.text) {
      return fail(400, "Bad Request: message text is empty");
    }
    sent.push(call);
    return ok({
      message_id: call.message_id,
      date: 1767225600,
      chat: { id: Number(chatId), type: "private" },
      ...(call.text === undefined ? {} : { text: call.text }),
      ...(call.caption === undefined ? {} : { caption: call.caption }),
    });
  }

  async function readParams(req: Request, url: URL) {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const parts = new Map<string, File>();
    const type = req.headers.get("content-type") ?? "";
    if (req.method === "POST" && type.includes("application/json")) {
      const text = await req.text();
      if (text) Object.assign(params, JSON.parse(text));
    } else if (
      req.method === "POST" &&
      (type.includes("multipart/form-data") ||
        type.includes("application/x-www-form-urlencoded"))
    ) {
      const form = await req.formData();
      for (const [key, value] of form) {
        if (typeof value === "string") params[key] = value;
        else parts.set(key, value);
      }
    }
    return { params, parts: await readParts(parts) };
  }

  async function readParts(parts: Map<string, File>) {
    const out = new Map<string, { name: string; data: Uint8Array }>();
    for (const [key, file] of parts) {
      out.set(key, { name: file.name, data: new Uint8Array(await file.arrayBuffer()) });
    }
    return out;
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const fileMatch = url.pathname.match(/^\/file\/bot([^/]+)\/(.+)$/);
    if (fileMatch) {
      if (fileMatch[1] !== token) return new Response("Unauthorized", { status: 401 });
      const path = decodeURIComponent(fileMatch[2]);
      const file = [...files.values()].find((f) => f.path === path);
      if (!file) return new Response("Not Found", { status: 404 });
      return new Response(file.bytes, {
        headers: { "content-type": "application/octet-stream" },
      });
    }
    const match = url.pathname.match(/^\/bot([^/]*)\/([A-Za-z]+)$/);
    if (!match) return json({ ok: false, error_code: 404, description: "Not Found" }, 404);
    const [, callToken, method] = match;
    const { params, parts } = await readParams(req, url);
    const call: FakeCall = { method, params };
    calls.push(call);
    notify();
    try {
      if (callToken !== token) {
        call.failedWith = 401;
        return fail(401, "Unauthorized");
      }
      const failure = failures.get(method)?.shift();
      if (failure === "network") {
        call.failedWith = "network";
        return new Response("<html>502 Bad Gateway</html>", { status: 502 });
      }
      if (failure) {
        call.failedWith = failure.error_code;
        return fail(
          failure.error_code,
          failure.description ?? `Error ${failure.error_code}`,
          failure.retry_after,
        );
      }
      switch (method) {
        case "getMe":
          return ok({
            id: botId,
            is_bot: true,
            first_name: "Kabar Test",
            username,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          });
        case "deleteWebhook":
          return ok(true);
        case "getUpdates":
          return await getUpdates(params);
        case "getFile": {
          const id = String(params.file_id ?? "");
          const file = files.get(id);
          if (!file) return fail(400, "Bad Request: invalid file_id");
          return ok({
            file_id: id,
            file_unique_id: `u-${id}`,
            file_size: file.bytes.length,
            file_path: file.path,
          });
        }
        case "sendMessage":
        case "sendPhoto":
        case "sendDocument":
        case "sendAudio":
        case "sendVoice":
        case "sendVideo":
          return send(method, params, parts);
        default:
          return fail(404, "Not Found: method not found");
      }
    } finally {
      notify();
    }
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);

  return {
    apiRoot: `http://127.0.0.1:${server.addr.port}`,
    token,
    username,
    sent,
    calls,
    get heldPolls() {
      return held.size;
    },
    pushUpdate,
    pushText: (chatId, text, from = DEFAULT_USER) => pushMessage(chatId, from, { text }),
    pushPhoto(chatId, bytes, caption, from = DEFAULT_USER) {
      const thumb = storeFile(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), "photos", "jpg");
      const full = storeFile(bytes, "photos", "jpg");
      return pushMessage(chatId, from, {
        photo: [{ ...thumb, width: 90, height: 60 }, { ...full, width: 1280, height: 853 }],
        ...(caption === undefined ? {} : { caption }),
      });
    },
    pushDocument(chatId, bytes, fileName, mimeType, caption, from = DEFAULT_USER) {
      const file = storeFile(bytes, "documents", fileName.split(".").pop() ?? "dat");
      return pushMessage(chatId, from, {
        document: { ...file, file_name: fileName, mime_type: mimeType },
        ...(caption === undefined ? {} : { caption }),
      });
    },
    pushVoice(chatId, bytes, from = DEFAULT_USER) {
      const file = storeFile(bytes, "voice", "oga");
      return pushMessage(chatId, from, {
        voice: { ...file, duration: 3, mime_type: "audio/ogg" },
      });
    },
    failNext(method, failure) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    waitForCall(method, count = 1) {
      return new Promise<void>((resolve) => {
        const waiter: Waiter = {
          check: () => calls.filter((c) => c.method === method).length >= count,
          resolve,
        };
        if (waiter.check()) resolve();
        else waiters.push(waiter);
      });
    },
    async close() {
      closing = true;
      wakePolls();
      await server.shutdown();
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}
