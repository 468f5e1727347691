/**
 * Workbooks made in tests part by part: a ZIP archive of named texts
 * (deflated, or stored), and the parts of a workbook around sheets whose
 * XML a test writes itself (shared strings, styles and cells exactly as
 * spreadsheets store them).
 */
import { crc32 } from "../../core/crc32.ts";

/** A ZIP archive of `entries` (name → text or bytes), each deflated unless `stored`. */
export async function zipOf(
  entries: Record<string, string | Uint8Array>,
  { stored = false, method }: { stored?: boolean; method?: number } = {},
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [entryName, content] of Object.entries(entries)) {
    const name = new TextEncoder().encode(entryName);
    const raw = typeof content === "string" ? new TextEncoder().encode(content) : content;
    const data = stored ? raw : new Uint8Array(
      await new Response(
        new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
          new CompressionStream("deflate-raw"),
        ),
      ).arrayBuffer(),
    );
    const how = method ?? (stored ? 0 : 8);
    const crc = crc32(raw);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, how, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.byteLength, true);
    local.setUint32(22, raw.byteLength, true);
    local.setUint16(26, name.byteLength, true);
    const head = new DataView(new ArrayBuffer(46));
    head.setUint32(0, 0x02014b50, true);
    head.setUint16(4, 20, true);
    head.setUint16(6, 20, true);
    head.setUint16(10, how, true);
    head.setUint32(16, crc, true);
    head.setUint32(20, data.byteLength, true);
    head.setUint32(24, raw.byteLength, true);
    head.setUint16(28, name.byteLength, true);
    head.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, data);
    central.push(new Uint8Array(head.buffer), name);
    offset += 30 + name.byteLength + data.byteLength;
  }
  const centralSize = central.reduce((n, p) => n + p.byteLength, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, central.length / 2, true);
  end.setUint16(10, central.length / 2, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)] as Uint8Array<ArrayBuffer>[];
  return new Uint8Array(await new Blob(all).arrayBuffer());
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006/relationships";

/** A sheet's XML around `rows` (the `<row>` elements as a spreadsheet writes them). */
export function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><dimension ref="A1"/>` +
    `<sheetData>${rows}</sheetData></worksheet>`;
}

/**
 * The parts of a workbook of `sheets` (name → sheet XML), with shared
 * strings and styles (`cellXfs` of the number formats given) when given.
 */
export function workbookParts(
  sheets: Record<string, string>,
  { sharedStrings, numFmts = [], xfs = [0] }: {
    sharedStrings?: string;
    numFmts?: [number, string][];
    xfs?: number[];
  } = {},
): Record<string, string> {
  const names = Object.keys(sheets);
  const parts: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${
      PKG.replace("relationships", "content-types")
    }"/>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}">` +
      `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
      `</Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?>` +
      `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
      names.map((n, i) =>
        `<sheet name="${n.replaceAll("&", "&amp;")}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`
      ).join("") + `</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?>` +
      `<Relationships xmlns="${PKG}">` +
      names.map((_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" ` +
        `Target="worksheets/sheet${i + 1}.xml"/>`
      ).join("") +
      `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
      `<Relationship Id="rIdT" Type="${REL}/styles" Target="/xl/styles.xml"/>` +
      `</Relationships>`,
    "xl/styles.xml": `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}">` +
      `<numFmts count="${numFmts.length}">` +
      numFmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`).join("") +
      `</numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>` +
      `<cellXfs count="${xfs.length}">` +
      xfs.map((id) => `<xf numFmtId="${id}" xfId="0"/>`).join("") +
      `</cellXfs></styleSheet>`,
  };
  names.forEach((n, i) => parts[`xl/worksheets/sheet${i + 1}.xml`] = sheets[n]);
  if (sharedStrings !== undefined) {
    parts["xl/sharedStrings.xml"] = `<?xml version="1.0" encoding="UTF-8"?>` +
      `<sst xmlns="${MAIN}">${sharedStrings}</sst>`;
  }
  return parts;
}
