/**
 * How every stored file is answered. Files come from anyone who can write to
 * a channel, so nothing in them may run in Kabar's origin: only pictures,
 * sounds and videos are shown inline; everything else (SVG, HTML, XML, PDF,
 * text…) is a download; the browser may not guess another type; and the
 * answer carries a sandbox policy of its own.
 */
import type { Media } from "../db/media.ts";

/** Types a browser shows without running anything from the file. */
const INLINE = /^(image\/(jpeg|png|gif|webp|avif|heic|heif|bmp)|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/** A MIME type fit for a header: `type/subtype` with at most simple parameters. */
const MIME = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*$/;

/** The policy of every file answer: no script, no plugin, no same origin. */
const MEDIA_CSP = "default-src 'none'; sandbox";

/** The answer for a stored file with its bytes. */
export function mediaResponse(file: Media & { data: Uint8Array }): Response {
  const mimeType = MIME.test(file.mimeType) ? file.mimeType : "application/octet-stream";
  const base = mimeType.split(";")[0].trim().toLowerCase();
  const disposition = INLINE.test(base) ? "inline" : "attachment";
  return new Response(file.data as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": mimeType,
      "Content-Length": String(file.data.byteLength),
      "Content-Disposition": contentDisposition(disposition, file.fileName),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": MEDIA_CSP,
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}

/** `inline` or `attachment` with the file's name, in ASCII and in UTF-8 (RFC 6266). */
function contentDisposition(kind: "inline" | "attachment", fileName: string | null): string {
  if (!fileName) return kind;
  const name = fileName.toWellFormed();
  const ascii = name.replace(/[^\x20-\x7e]|["\\/%;]/g, "_");
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
