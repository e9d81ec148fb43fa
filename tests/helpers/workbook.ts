import ExcelJS from 'exceljs';

/** An .xlsx the bot sent, as exceljs reads it. */
export async function readWorkbook(bytes: Uint8Array | Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** One row's cells, a value per column (null where empty). */
export function rowValues(ws: ExcelJS.Worksheet, row: number): unknown[] {
  const values = ws.getRow(row).values as unknown[];
  // exceljs rows are 1-based: index 0 is always empty.
  return Array.from({ length: ws.columnCount }, (_, i) => values[i + 1] ?? null);
}
