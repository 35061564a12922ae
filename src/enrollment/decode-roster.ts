/**
 * The text of a roster file as the coordinator's spreadsheet wrote it:
 * - UTF-8, with or without a byte-order mark;
 * - UTF-16 LE or BE with a byte-order mark (Excel's "Unicode Text", tab-separated);
 * - Windows-1252 when the bytes are not UTF-8 (Excel's plain "CSV" on Windows) — never
 *   mojibake: a byte sequence UTF-8 refuses is read as the code page Excel wrote it in;
 * and refuses a binary file (a PDF, an image, an old .xls) instead of reading noise.
 * The text comes back in Unicode NFC, so "José" typed on a Mac and on Windows is one name.
 */
import type { RosterProblem } from './parse-roster.ts';

export type DecodedRoster = { text: string; encoding: string } | { problem: RosterProblem };

const startsWith = (bytes: Buffer, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** Control characters no roster has (tab, CR and LF are fine); C1 controls are how Windows-1252's holes decode. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const MAGIC: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old-style Excel .xls workbook (save it as .xlsx or CSV UTF-8)'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x1f, 0x8b], 'a gzip archive'],
];

const binary = (what: string): DecodedRoster => ({
  problem: { row: null, column: null, reason: `the file is ${what}, not a roster; export the roster from your spreadsheet as CSV UTF-8 or .xlsx` },
});

export function decodeRoster(input: Buffer | string): DecodedRoster {
  if (typeof input === 'string') return { text: input.replace(/^\uFEFF/, '').normalize('NFC'), encoding: 'text' };
  for (const [magic, what] of MAGIC) if (startsWith(input, ...magic)) return binary(what);
  let text: string;
  let encoding: string;
  if (startsWith(input, 0xff, 0xfe)) [text, encoding] = [new TextDecoder('utf-16le').decode(input.subarray(2)), 'UTF-16 LE'];
  else if (startsWith(input, 0xfe, 0xff)) [text, encoding] = [new TextDecoder('utf-16be').decode(input.subarray(2)), 'UTF-16 BE'];
  else if (startsWith(input, 0xef, 0xbb, 0xbf)) [text, encoding] = [new TextDecoder('utf-8').decode(input.subarray(3)), 'UTF-8 with BOM'];
  else {
    try {
      [text, encoding] = [new TextDecoder('utf-8', { fatal: true }).decode(input), 'UTF-8'];
    } catch {
      [text, encoding] = [new TextDecoder('windows-1252').decode(input), 'Windows-1252'];
    }
  }
  if (CONTROL.test(text)) return binary('binary data (it holds control characters no text file has)');
  return { text: text.normalize('NFC'), encoding };
}
