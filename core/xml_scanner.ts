/**
 * A small incremental XML scanner for the parts of an .xlsx workbook: text
 * is written to it in pieces as it is unpacked, and it reports each start
 * tag, end tag and run of text to a handler as soon as it is complete,
 * keeping only the unfinished tail. No tree is built. Names are given
 * without their namespace prefix (`x:c` is `c`); comments, processing
 * instructions and the DOCTYPE are passed over (entities it declares are
 * never expanded); CDATA is text.
 */

/** What the scanner reports. Text is given raw: decode what is kept with `decodeXmlText`. */
export interface XmlHandler {
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  text(raw: string, cdata: boolean): void;
}

/** XML that cannot be scanned: a tag or a text longer than the limit, or a part cut short. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

/** The longest tag or run of text held while waiting for its end, in characters. */
export const MAX_XML_TOKEN = 16 * 1024 * 1024;

/** Scans XML written to it piece by piece. */
export class XmlScanner {
  #rest = "";
  #depth = 0;
  constructor(readonly handler: XmlHandler, readonly maxToken: number = MAX_XML_TOKEN) {}

  /** Scans `piece` after what came before; an unfinished tag or text waits for the next piece. */
  write(piece: string): void {
    const text = this.#rest === "" ? piece : this.#rest + piece;
    const at = this.#scan(text);
    this.#rest = at >= text.length ? "" : text.slice(at);
    if (this.#rest.length > this.maxToken) {
      throw new XmlError(
        `a tag or text runs on for more than ${Math.round(this.maxToken / 1024 / 1024)} MB`,
      );
    }
  }

  /** The end of the part: what is left must be text (whitespace after the root). */
  end(): void {
    const rest = this.#rest;
    this.#rest = "";
    if (rest.includes("<") || this.#depth > 0) throw new XmlError("the XML is cut short");
    if (rest !== "") this.handler.text(rest, false);
  }

  /** Scans complete tokens of `text`; returns where the unfinished tail starts. */
  #scan(text: string): number {
    const h = this.handler;
    let at = 0;
    const length = text.length;
    while (at < length) {
      const lt = text.indexOf("<", at);
      if (lt < 0) return at;
      if (lt > at) h.text(text.slice(at, lt), false);
      at = lt;
      const next = text.charCodeAt(lt + 1);
      if (Number.isNaN(next)) return at;
      if (next === 0x21 /* ! */) {
        if (text.startsWith("<!--", lt)) {
          const end = text.indexOf("-->", lt + 4);
          if (end < 0) return at;
          at = end + 3;
        } else if (text.startsWith("<![CDATA[", lt)) {
          const end = text.indexOf("]]>", lt + 9);
          if (end < 0) return at;
          h.text(text.slice(lt + 9, end), true);
          at = end + 3;
        } else {
          if (length - lt < 9) return at;
          const end = declarationEnd(text, lt + 2);
          if (end < 0) return at;
          at = end + 1;
        }
        continue;
      }
      if (next === 0x3f /* ? */) {
        const end = text.indexOf("?>", lt + 2);
        if (end < 0) return at;
        at = end + 2;
        continue;
      }
      const gt = tagEnd(text, lt + 1);
      if (gt < 0) return at;
      if (next === 0x2f /* / */) {
        this.#depth--;
        h.close(localName(text.slice(lt + 2, gt).trim()));
      } else {
        const selfClosing = text.charCodeAt(gt - 1) === 0x2f;
        const inner = text.slice(lt + 1, selfClosing ? gt - 1 : gt);
        let nameEnd = 0;
        while (nameEnd < inner.length && !isSpace(inner.charCodeAt(nameEnd))) nameEnd++;
        const name = localName(inner.slice(0, nameEnd));
        h.open(name, inner.slice(nameEnd), selfClosing);
        if (selfClosing) h.close(name);
        else this.#depth++;
      }
      at = gt + 1;
    }
    return at;
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The `>` ending a tag that starts before `from`, outside quoted attribute values; -1 if not yet. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x3e) return i;
    else if (c === 0x22 || c === 0x27) quote = c;
  }
  return -1;
}

/** The `>` ending a `<!DOCTYPE …>` declaration, its internal subset `[…]` included. */
function declarationEnd(text: string, from: number): number {
  let depth = 0;
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x5b) depth++;
    else if (c === 0x5d) depth--;
    else if (c === 0x3e && depth <= 0) return i;
  }
  return -1;
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The attributes of a start tag (as given to `open`), by their names without prefix. */
export function xmlAttributes(raw: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of raw.matchAll(ATTRIBUTE)) {
    found[localName(m[1])] = decodeXmlText(m[2] ?? m[3]);
  }
  return found;
}

/** One attribute of a start tag, by its name without prefix (`id` finds `r:id` too). */
export function xmlAttribute(raw: string, name: string): string | undefined {
  const quick = `${name}="`;
  for (let at = raw.indexOf(quick); at >= 0; at = raw.indexOf(quick, at + 1)) {
    const before = raw.charCodeAt(at - 1);
    if (isSpace(before) || before === 0x3a) {
      const start = at + quick.length;
      const end = raw.indexOf('"', start);
      return end < 0 ? undefined : decodeXmlText(raw.slice(start, end));
    }
  }
  if (!raw.includes(name) || !(raw.includes("'") || /\s=|=\s/.test(raw))) return undefined;
  for (const m of raw.matchAll(ATTRIBUTE)) {
    if (localName(m[1]) === name) return decodeXmlText(m[2] ?? m[3]);
  }
  return undefined;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML text with its character and entity references replaced (`&amp;` → `&`, `&#233;` → `é`). */
export function decodeXmlText(raw: string): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (all, ref) => {
    if (ref[0] !== "#") return NAMED[ref];
    const code = ref[1] === "x" || ref[1] === "X"
      ? parseInt(ref.slice(2), 16)
      : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}
