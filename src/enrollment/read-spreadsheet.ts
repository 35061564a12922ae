/**
 * The first sheet of an .xlsx workbook as rows of text, numbered as Excel numbers them, so
 * a problem's row is the row the coordinator sees. Dates come out as YYYY-MM-DD (the form the
 * roster's start_date takes), rich text and formula results as their text.
 */
import ExcelJS from 'exceljs';

type CellValue = ExcelJS.CellValue;

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value.result ?? '') as CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

export const isXlsx = (bytes: Buffer) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Null when the bytes are not a workbook Excel could open. */
export async function readFirstSheet(bytes: Buffer): Promise<string[][] | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return null;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    while (records.length < rowNumber - 1) records.push([]);
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value).normalize('NFC').trim();
    });
    records.push(Array.from(cells, (c) => c ?? ''));
  });
  return records;
}
