/**
 * What a file really is, from its first bytes, and whether it may go out as
 * a given message type. A declared type is never trusted alone.
 */
import { AppError } from "./app_error.ts";
import type { OutboundType } from "./channel_types.ts";

const SIGNATURES: Array<[string, (b: Uint8Array) => boolean]> = [
  ["image/jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["image/png", (b) => ascii(b, 1, 3) === "PNG"],
  ["image/gif", (b) => ascii(b, 0, 4) === "GIF8"],
  ["image/webp", (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP"],
  ["application/pdf", (b) => ascii(b, 0, 5) === "%PDF-"],
  ["audio/ogg", (b) => ascii(b, 0, 4) === "OggS"],
  ["audio/mpeg", (b) => ascii(b, 0, 3) === "ID3" || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)],
  ["audio/amr", (b) => ascii(b, 0, 5) === "#!AMR"],
  ["audio/wav", (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WAVE"],
  ["video/mp4", (b) => ascii(b, 4, 4) === "ftyp"],
  ["application/zip", (b) => ascii(b, 0, 4) === "PK\x03\x04"],
  ["application/x-msdownload", (b) => ascii(b, 0, 2) === "MZ"],
  ["application/x-executable", (b) => ascii(b, 0, 4) === "\x7fELF"],
];

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** The type the bytes show, or undefined when they show none (plain text, CSV…). */
export function sniffMimeType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, test]) => bytes.length >= 4 && test(bytes))?.[0];
}

/** `video/mp4` whose brand says audio (`M4A `) is audio. */
function refine(sniffed: string | undefined, bytes: Uint8Array): string | undefined {
  if (sniffed === "video/mp4" && /^M4A|^M4B/.test(ascii(bytes, 8, 4))) return "audio/mp4";
  return sniffed;
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

/**
 * The type to store a file as: what its bytes show, else the declared type.
 * Answers an error in words when the file cannot go out as `type`.
 */
export function checkMedia(
  type: Exclude<OutboundType, "text">,
  bytes: Uint8Array,
  declared: string | undefined,
): { ok: true; mimeType: string } | { ok: false; reason: string } {
  const sniffed = refine(sniffMimeType(bytes), bytes);
  if (sniffed === "application/x-msdownload" || sniffed === "application/x-executable") {
    return { ok: false, reason: "programs cannot be sent" };
  }
  const mimeType = sniffed ?? declared ?? "application/octet-stream";
  const family = mimeType.split("/")[0];
  const fits = type === "document" ||
    (type === "image" && family === "image") ||
    (type === "audio" && family === "audio") ||
    (type === "video" && family === "video");
  if (!fits) {
    return {
      ok: false,
      reason: `the file is ${mimeType}, not ${type === "image" ? "an" : "a"} ${type}`,
    };
  }
  return { ok: true, mimeType };
}
