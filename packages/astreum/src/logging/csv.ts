// CSV rows as Python's csv module writes them with its defaults (QUOTE_MINIMAL): a field holding a
// comma, a double quote, CR or LF is enclosed in double quotes, inner quotes doubled.

export const LOG_COLUMNS = ["ts", "level", "msg", "module", "func"] as const;

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row, terminated by "\n". */
export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\n`;
}

/** Splits CSV text into rows of fields (for reading logs back in tests and tools). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
