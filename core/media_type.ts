/**
 * What a file really is, from its bytes, and whether it may go out as a
 * given message type. A declared type (a form's Content-Type, a `mimetype`
 * field, a channel's label on a received file) never overrides the bytes:
 * it only tells CSV from other plain text.
 */
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "./app_error.ts";
import type { MediaMessageType } from "./message_type.ts";

/** What a file's bytes turned out to be. */
interface DetectedMedia {
  /** The type Kabar stores and sends the file as. */
  mimeType: string;
  /** The same in words, for error messages ("a PNG picture"). */
  what: string;
}

/** A file that may go out as the type asked, or why not. */
type MediaCheck = { ok: true; mimeType: string } | { ok: false; reason: string };

/**
 * The types each message type may carry: what WhatsApp shows or plays
 * inline (and Telegram too). Anything else goes out as a document.
 */
const SENDABLE_TYPES: Record<Exclude<MediaMessageType, "document">, readonly string[]> = {
  image: ["image/jpeg", "image/png"],
  video: ["video/mp4", "video/3gpp"],
  audio: ["audio/mpeg", "audio/mp4", "audio/aac", "audio/amr", "audio/ogg; codecs=opus"],
};

const WANTED: Record<Exclude<MediaMessageType, "document">, string> = {
  image: "a picture WhatsApp can show (JPEG or PNG)",
  video: "a video WhatsApp can play (MP4 or 3GP)",
  audio: "a sound WhatsApp can play (MP3, M4A, AAC, AMR or OGG Opus)",
};

/** Programs are never sent, not even as documents. */
const PROGRAMS = new Set([
  "application/x-msdownload",
  "application/x-elf",
  "application/x-mach-binary",
]);

const WORDS: Record<string, string> = {
  "image/jpeg": "a JPEG picture",
  "image/png": "a PNG picture",
  "image/gif": "a GIF animation",
  "image/webp": "a WebP picture",
  "image/svg+xml": "an SVG image",
  "image/heic": "a HEIC photo",
  "image/heif": "a HEIF photo",
  "image/avif": "an AVIF picture",
  "image/bmp": "a BMP picture",
  "image/tiff": "a TIFF picture",
  "application/pdf": "a PDF document",
  "application/zip": "a ZIP archive",
  "video/mp4": "an MP4 video",
  "video/quicktime": "a QuickTime (MOV) video",
  "video/3gpp": "a 3GP video",
  "video/3gpp2": "a 3G2 video",
  "video/webm": "a WebM video",
  "video/matroska": "a Matroska (MKV) video",
  "video/x-m4v": "an M4V video",
  "video/ogg": "an OGG video",
  "audio/mpeg": "an MP3 sound",
  "audio/aac": "an AAC sound",
  "audio/mp4": "an M4A sound",
  "audio/amr": "an AMR sound",
  "audio/ogg; codecs=opus": "an OGG Opus sound",
  "audio/ogg": "an OGG sound that is not Opus",
  "audio/wav": "a WAV sound",
  "audio/flac": "a FLAC sound",
  "text/html": "an HTML page",
  "application/xhtml+xml": "an XHTML page",
  "application/xml": "an XML document",
  "text/csv": "CSV text",
  "text/plain": "plain text",
  "application/x-msdownload": "a Windows program",
  "application/x-elf": "a Linux program",
  "application/x-mach-binary": "a macOS program",
};

/** file-type's names where Kabar (and WhatsApp) use another. */
const RENAMED: Record<string, string> = {
  "audio/x-m4a": "audio/mp4",
  "video/x-matroska": "video/matroska",
  "audio/x-flac": "audio/flac",
  "audio/x-wav": "audio/wav",
};

const CSV_LABELS = new Set([
  "text/csv",
  "application/csv",
  "text/comma-separated-values",
  "application/vnd.ms-excel",
]);

/** Roots that make a browser take text as HTML. */
const HTML_ROOTS = new Set([
  "html",
  "head",
  "body",
  "script",
  "iframe",
  "style",
  "title",
  "div",
  "table",
  "font",
  "a",
  "b",
  "p",
  "br",
  "h1",
]);

/**
 * What `bytes` are: the type file-type recognises; else, for valid UTF-8
 * text, SVG, HTML or XML by their first element, CSV when `declared` or
 * `fileName` says so, or plain text; else `application/octet-stream`.
 */
async function detectMedia(
  bytes: Uint8Array,
  hints: { declared?: string; fileName?: string } = {},
): Promise<DetectedMedia> {
  let found: { mime: string; ext: string } | undefined;
  try {
    found = await fileTypeFromBuffer(bytes);
  } catch {
    found = undefined;
  }
  if (found) {
    let mimeType = RENAMED[found.mime] ?? found.mime;
    if (mimeType === "application/xml") {
      mimeType = markupType(new TextDecoder().decode(bytes.subarray(0, 65536))) ?? mimeType;
    }
    return { mimeType, what: WORDS[mimeType] ?? `${found.ext.toUpperCase()} data` };
  }
  const text = utf8Text(bytes);
  if (text === undefined) {
    return {
      mimeType: "application/octet-stream",
      what: `${bytes.byteLength} bytes of data Kabar does not recognise`,
    };
  }
  const markup = markupType(text);
  if (markup) return { mimeType: markup, what: WORDS[markup] };
  const declared = hints.declared?.split(";")[0].trim().toLowerCase() ?? "";
  const mimeType = CSV_LABELS.has(declared) || /\.csv$/i.test(hints.fileName ?? "")
    ? "text/csv"
    : "text/plain";
  return { mimeType, what: WORDS[mimeType] };
}

/**
 * Whether `bytes` may go out as a `type` message, and the type to store
 * them as. A document may be anything but a program; an image, a video or
 * a sound must be of a type WhatsApp shows or plays (`SENDABLE_TYPES`).
 */
export async function checkMedia(
  type: MediaMessageType,
  bytes: Uint8Array,
  declared?: string,
  fileName?: string,
): Promise<MediaCheck> {
  return verdict(type, await detectMedia(bytes, { declared, fileName }), declared);
}

/** Whether a file stored earlier (its type decided by its bytes then) may go out as `type`. */
export function checkStoredMedia(type: MediaMessageType, mimeType: string): MediaCheck {
  return verdict(type, { mimeType, what: WORDS[mimeType] ?? "a stored file" });
}

/** The message type a stored file goes out as: shown or played inline when it can be, else a document. */
export function mediaMessageTypeOf(mimeType: string): MediaMessageType {
  for (const [type, types] of Object.entries(SENDABLE_TYPES)) {
    if (types.includes(mimeType)) return type as MediaMessageType;
  }
  return "document";
}

/** The type a received file is stored as: what its bytes are, whatever the channel said. */
export async function receivedMimeType(
  bytes: Uint8Array,
  declared?: string,
  fileName?: string,
): Promise<string> {
  return (await detectMedia(bytes, { declared, fileName })).mimeType;
}

function verdict(type: MediaMessageType, found: DetectedMedia, declared?: string): MediaCheck {
  const { mimeType, what } = found;
  if (PROGRAMS.has(mimeType)) {
    return { ok: false, reason: `the file is ${what} (${mimeType}): programs cannot be sent` };
  }
  if (type === "document" || SENDABLE_TYPES[type].includes(mimeType)) return { ok: true, mimeType };
  const label = declared?.trim().slice(0, 100);
  const labelled = label && label.toLowerCase() !== mimeType ? `, though labelled ${label}` : "";
  return {
    ok: false,
    reason: `the file is ${what} (${mimeType})${labelled}, not ${
      WANTED[type]
    }: send it as a document`,
  };
}

/** The text of `bytes` when they are UTF-8 without control characters other than whitespace. */
function utf8Text(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // Text has no control characters but tab, line breaks and form feed.
  // deno-lint-ignore no-control-regex
  return /[\x00-\x08\x0E-\x1F\x7F]/.test(text) ? undefined : text;
}

/**
 * SVG, HTML, XHTML or XML, read from the first element after the XML
 * declaration, comments and doctype; undefined for other text.
 */
function markupType(text: string): string | undefined {
  let rest = text.slice(0, 65536).replace(/^\uFEFF/, "");
  let xml = false;
  let doctypeHtml = false;
  for (;;) {
    rest = rest.trimStart();
    let end: number;
    if (rest.startsWith("<?")) {
      if (/^<\?xml[\s?]/i.test(rest)) xml = true;
      end = rest.indexOf("?>");
      if (end >= 0) end += 2;
    } else if (rest.startsWith("<!--")) {
      end = rest.indexOf("-->", 4);
      if (end >= 0) end += 3;
    } else if (/^<!doctype/i.test(rest)) {
      if (/^<!doctype\s+html/i.test(rest)) doctypeHtml = true;
      const subset = rest.indexOf("[");
      const close = rest.indexOf(">");
      end = subset >= 0 && subset < close ? rest.indexOf("]>") + 2 : close + 1;
      if (end <= 1) end = -1;
    } else break;
    if (end < 0) break;
    rest = rest.slice(end);
  }
  const root = /^<([a-z][\w:.-]*)/i.exec(rest)?.[1].toLowerCase();
  const local = root?.split(":").pop();
  if (local === "svg") return "image/svg+xml";
  if (local === "html") return xml ? "application/xhtml+xml" : "text/html";
  if (doctypeHtml || (root !== undefined && HTML_ROOTS.has(root))) return "text/html";
  return xml ? "application/xml" : undefined;
}

/** The largest file Kabar takes or keeps unless `KABAR_MEDIA_MAX_MB` says otherwise. */
export const DEFAULT_MEDIA_MAX_BYTES = 16 * 1024 * 1024;

/** 413 for a file over the `max` bytes allowed, naming the field it came in. */
export function fileTooLarge(max: number, path: string): AppError {
  const mb = Math.round(max / 1024 / 1024);
  return new AppError(413, "too_large", `The file is larger than ${mb} MB`, {
    [path]: `over ${mb} MB`,
  });
}
