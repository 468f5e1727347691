import type { Child } from "hono/jsx";

/** One column of a `DataTable`. */
export interface Column<Row> {
  /** The column's head, and each cell's label when the table is stacked on a phone. */
  label: string;
  cell: (row: Row) => Child;
  /** Classes of the column's cells (`small`, `mono`, `nowrap`…). */
  class?: string;
  /**
   * The cell that names the row: on a phone it comes first in the row's
   * block, larger, with no label.
   */
  primary?: boolean;
  /** The row's buttons: the head is quieter, and on a phone they sit at the card's foot. */
  actions?: boolean;
  /** On a phone the cell takes the card's whole width (long addresses, lists). */
  wide?: boolean;
  /** The cells hold long addresses or codes, which may break anywhere rather than widen the table. */
  long?: boolean;
  /** Whether the row has nothing here: on a phone the cell is then left out of its block. */
  blank?: (row: Row) => boolean;
}

/**
 * A table of rows, or `empty` when there are none. On a wide screen it is a
 * table; on a phone each row becomes a block of labelled cells, two a line
 * (each cell carries its column's label in `data-label`, shown by the
 * stylesheet), so nothing scrolls sideways.
 */
export function DataTable<Row>(
  { columns, rows, empty, label }: {
    columns: Array<Column<Row>>;
    rows: Row[];
    /** Shown instead of the table when there are no rows. */
    empty?: Child;
    /** What the table lists, for screen readers (its caption). */
    label?: string;
  },
) {
  if (rows.length === 0) return empty ? <p class="muted">{empty}</p> : null;
  const classOf = (c: Column<Row>, row: Row) =>
    [
      c.class,
      c.primary ? "primary" : "",
      c.actions ? "row-actions-cell" : "",
      c.wide ? "wide" : "",
      c.long ? "long" : "",
      c.blank?.(row) ? "blank" : "",
    ]
      .filter(Boolean).join(" ") || undefined;
  return (
    <div class="table-wrap">
      <table class="data-table">
        {label ? <caption class="sr-only">{label}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" class={c.actions ? "actions-head" : undefined}>
                {c.actions ? <span class="muted">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {columns.map((c) => (
                <td data-label={c.label} class={classOf(c, row)}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
