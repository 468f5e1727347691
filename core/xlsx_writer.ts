/**
 * A one-sheet .xlsx workbook written as it goes (see zip_writer.ts): text
 * cells inline, numbers as numbers, no styles. Characters XML cannot carry
 * (most control characters) are left out of the text.
 */
import { columnLetter } from "./column_letter.ts";
import { zipStream } from "./zip_writer.ts";

export type XlsxCell = string | number | null;

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006/relationships";
const TYPES = "http://schemas.openxmlformats.org/package/2006/content-types";
const OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml";
const HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;
/** Rows put into one piece of the sheet. */
const ROWS_A_PIECE = 200;

/** Characters XML 1.0 cannot hold, and lone halves of a surrogate pair. */
const NOT_XML =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` as XML text. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, "").replaceAll("&", "&amp;").replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function cellXml(value: XlsxCell, ref: string): string {
  if (value === null || value === "") return "";
  if (typeof value === "number") {
    return Number.isFinite(value) ? `<c r="${ref}"><v>${value}</v></c>` : "";
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;
}

async function* sheet(rows: AsyncIterable<XlsxCell[]>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(`${HEAD}<worksheet xmlns="${MAIN}"><sheetData>`);
  let piece = "";
  let count = 0;
  let r = 0;
  for await (const cells of rows) {
    r++;
    piece += `<row r="${r}">${
      cells.map((v, i) => cellXml(v, `${columnLetter(i)}${r}`)).join("")
    }</row>`;
    if (++count === ROWS_A_PIECE) {
      yield encoder.encode(piece);
      piece = "";
      count = 0;
    }
  }
  yield encoder.encode(`${piece}</sheetData></worksheet>`);
}

/** The workbook of one sheet named `name` holding `rows`, as chunks of the file. */
export function xlsxStream(
  name: string,
  rows: AsyncIterable<XlsxCell[]>,
  at?: Date,
): AsyncGenerator<Uint8Array> {
  const text = (xml: string) => [new TextEncoder().encode(xml)];
  return zipStream([
    {
      name: "[Content_Types].xml",
      content: text(
        `${HEAD}<Types xmlns="${TYPES}">` +
          `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
          `<Default Extension="xml" ContentType="application/xml"/>` +
          `<Override PartName="/xl/workbook.xml" ContentType="${OFFICE}.sheet.main+xml"/>` +
          `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${OFFICE}.worksheet+xml"/>` +
          `</Types>`,
      ),
    },
    {
      name: "_rels/.rels",
      content: text(
        `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" ` +
          `Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: "xl/workbook.xml",
      content: text(
        `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
          `<sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      content: text(
        `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" ` +
          `Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    { name: "xl/worksheets/sheet1.xml", content: sheet(rows) },
  ], at);
}
