/** The first rows of an uploaded sheet as they were read, with their row numbers. */

/** `headers` name the columns; given `labels`, each cell on a phone is labelled with its column's. */
export function SheetPreview(
  { rowLabel, headers, labels, rows }: {
    rowLabel: string;
    headers: string[];
    labels?: string[];
    rows: Array<{ number: number; cells: string[] }>;
  },
) {
  return (
    <div class="table-wrap preview-wrap">
      <table class="data-table preview-table">
        <thead>
          <tr>
            <th scope="col">{rowLabel}</th>
            {headers.map((h) => <th scope="col">{h}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td class="mono muted" data-label={labels && rowLabel}>{r.number}</td>
              {headers.map((_, i) => (
                <td class="mono" data-label={labels?.[i]}>{r.cells[i] ?? ""}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
