/**
 * A pasted or uploaded list of trainees: one email per line (a spreadsheet column pasted, or
 * a one-column CSV; a header line "email" and blank lines are skipped). Pure: every line that
 * is not an email address is reported by its line number, with what it said.
 */
export interface TraineeLine {
  line: number;
  email: string;
}

export interface LineProblem {
  line: number;
  text: string;
  reason: string;
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
export const MAX_TRAINEES = 5000;

export function parseTraineeList(text: string): { trainees: TraineeLine[]; problems: LineProblem[] } {
  const trainees: TraineeLine[] = [];
  const problems: LineProblem[] = [];
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    // A pasted spreadsheet row may carry more columns: the email is the first.
    const first = raw
      .split(/[,;\t]/)[0]!
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    if (first === '' || (trainees.length === 0 && problems.length === 0 && /^e-?mail( address)?$/i.test(first))) return;
    if (!EMAIL.test(first)) return void problems.push({ line, text: first.slice(0, 200), reason: 'is not an email address' });
    const email = first.toLowerCase();
    if (seen.has(email)) return;
    seen.add(email);
    trainees.push({ line, email });
  });
  if (trainees.length > MAX_TRAINEES)
    problems.push({ line: trainees[MAX_TRAINEES]!.line, text: trainees[MAX_TRAINEES]!.email, reason: `the list may hold at most ${MAX_TRAINEES} trainees` });
  return { trainees, problems };
}
