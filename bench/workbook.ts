/**
 * The workbook the broadcast benchmarks read: 100,000 rows of number, name
 * and two variables; a third of the numbers stored as numbers, the rest as
 * text typed in mixed forms, all text in shared strings as Excel writes them.
 */
import { sheetXml, workbookParts, zipOf } from "../tests/support/xlsx_parts.ts";

export const ROWS = 100_000;

const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;");

/** The workbook: its size packed and the sheet's XML size. */
export async function makeWorkbook(path: string): Promise<{ bytes: number; xmlMb: number }> {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const shared = (text: string) => {
    let i = index.get(text);
    if (i === undefined) {
      i = strings.length;
      strings.push(text);
      index.set(text, i);
    }
    return `t="s"><v>${i}</v>`;
  };
  const poli = ["Poli Gigi", "Poli Anak", "Poli Mata", "Poli Dalam", "Poli Saraf"];
  const rows: string[] = [
    `<row r="1"><c r="A1" ${shared("Telepon")}</c><c r="B1" ${shared("Nama")}</c>` +
    `<c r="C1" ${shared("Poli")}</c><c r="D1" ${shared("Jam")}</c></row>`,
  ];
  for (let i = 0; i < ROWS; i++) {
    const r = i + 2;
    const local = `812${String(10_000_000 + i)}`;
    const forms = [
      `0${local.slice(0, 3)}-${local.slice(3, 7)}-${local.slice(7)}`,
      `+62 ${local.slice(0, 3)} ${local.slice(3, 7)} ${local.slice(7)}`,
      `62${local}`,
      `0${local}`,
    ];
    const phone = i % 3 === 0 ? `><v>62${local}</v>` : ` ${shared(forms[i % 4])}`;
    rows.push(
      `<row r="${r}"><c r="A${r}"${phone}</c><c r="B${r}" ${shared(`Pasien ${i} & Keluarga`)}</c>` +
        `<c r="C${r}" ${shared(poli[i % poli.length])}</c>` +
        `<c r="D${r}" ${shared(`${String(7 + (i % 10)).padStart(2, "0")}:00`)}</c></row>`,
    );
  }
  const xml = sheetXml(rows.join(""));
  const zip = await zipOf(workbookParts({ Daftar: xml }, {
    sharedStrings: strings.map((s) => `<si><t>${escape(s)}</t></si>`).join(""),
  }));
  await Deno.writeFile(path, zip);
  return { bytes: zip.byteLength, xmlMb: xml.length / 1024 / 1024 };
}

if (import.meta.main) await makeWorkbook(Deno.args[0]);
