import { parseRecordId } from "../../core/record_id.ts";
import { Hono } from "hono";
import { AppError, invalidInput, notFound } from "../../core/app_error.ts";
import { checkMedia, fileTooLarge } from "../../core/media_type.ts";
import { MEDIA_MESSAGE_TYPES, type MediaMessageType } from "../../core/message_type.ts";
import { loadMedia, saveMedia } from "../../db/media.ts";
import { getMessageView } from "../../db/messages.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { mediaResponse } from "../media_response.ts";
import { requireScope } from "./api_auth.ts";
import type { mediaFileResponse } from "../../core/api_conversations.ts";
import type { z } from "zod";

/**
 * `POST /api/v1/media`: upload a file once, send it by id.
 * `GET /api/v1/messages/{id}/media`: the file of a message, sent or received.
 */
export function mediaApi(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.post("/api/v1/media", async (c) => {
    requireScope(c, "messages:send");
    if (!/^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) {
      throw new AppError(
        415,
        "unsupported_media_type",
        "Upload the file as multipart/form-data in a field named 'file'",
      );
    }
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError(400, "bad_multipart", "The multipart body could not be read");
    }
    const file = form.get("file");
    if (!(file instanceof File)) {
      throw invalidInput("The form has no file in the field 'file'", { file: "required" });
    }
    const type = String(form.get("type") ?? "document");
    if (!(MEDIA_MESSAGE_TYPES as readonly string[]).includes(type)) {
      throw invalidInput(`type must be image, document, audio or video, not "${type}"`, {
        type: "image, document, audio or video",
      });
    }
    if (file.size === 0) throw invalidInput("The file is empty", { file: "empty" });
    if (file.size > deps.config.mediaMaxBytes) {
      throw fileTooLarge(deps.config.mediaMaxBytes, "file");
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const check = await checkMedia(
      type as MediaMessageType,
      bytes,
      file.type || undefined,
      file.name || undefined,
    );
    if (!check.ok) throw invalidInput(`file: ${check.reason}`, { file: check.reason });
    const id = await saveMedia(deps.db, deps.clock, deps.config.dataDir, {
      data: bytes,
      mimeType: check.mimeType,
      fileName: file.name || undefined,
    }, { forChannel: c.get("apiKey")!.channelId ?? undefined });
    return c.json<z.input<typeof mediaFileResponse>, 201>({
      id,
      mimetype: check.mimeType,
      size: bytes.byteLength,
      filename: file.name || null,
    }, 201);
  });

  app.get("/api/v1/messages/:id/media", async (c) => {
    requireScope(c, "messages:read");
    const raw = c.req.param("id");
    const id = parseRecordId(raw);
    const view = id === undefined ? undefined : await getMessageView(deps.db, id);
    const only = c.get("apiKey")?.channelId ?? undefined;
    if (!view || (only !== undefined && view.message.channelId !== only)) {
      throw notFound(`No message with id ${raw}`);
    }
    const mediaId = view.message.mediaId;
    if (!mediaId) {
      throw new AppError(404, "not_found", `Message ${id} has no file`, { id: "no file" });
    }
    const file = await loadMedia(deps.db, deps.config.dataDir, mediaId);
    if (!file) {
      throw new AppError(404, "not_found", `The file of message ${id} is no longer kept`, {
        id: "file deleted",
      });
    }
    return mediaResponse(file);
  });

  return app;
}
