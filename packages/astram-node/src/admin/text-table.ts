/**
 * Rows under a header in aligned columns, two spaces apart; columns named in `right` are
 * right-aligned (numbers). The last column is not padded, so lines carry no trailing spaces.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly string[] = [],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    header
      .map((h, i) => {
        const c = cells[i] ?? "";
        if (i === header.length - 1 && !right.includes(h)) return c;
        return right.includes(h) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!);
      })
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
