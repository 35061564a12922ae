/**
 * The enrollment page's routes on the real web server, Postgres and Temporal: a roster goes
 * from upload to preview to confirm to started cycles, and every bad input gets a page saying
 * what is wrong and what to do, writes nothing and starts nothing.
 */
import { Client, Connection } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { confirmRosterImport, importProgress } from '../../src/enrollment/roster-imports.ts';
import { MAX_ROSTER_BYTES } from '../../src/enrollment/roster-limits.ts';
import { eventually } from '../support/cycle.ts';
import { generatedRoster, rosterOf } from '../enrollment/support.ts';
import { makeStaff, ORIGIN, signIn } from './dashboard-support.ts';
import { multipartForm, type FormPart } from './support/multipart.ts';
import { useWebStack } from './support/web-stack.ts';

describe('the enrollment page', () => {
  const env = useWebStack();
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    const staff = await makeStaff(env.stack);
    session = await signIn(env.web, env.stack, staff.email);
  });
  const department = () => env.stack.policy.department.id;

  const post = (url: string, parts: FormPart[], headers: Record<string, string> = ORIGIN, cookie = session.cookie) => {
    const form = multipartForm(parts);
    return env.web.inject({ method: 'POST', url, headers: { ...headers, cookie, 'content-type': form.contentType }, payload: form.payload });
  };
  const upload = (content: Buffer | string, filename = 'roster.csv', headers?: Record<string, string>) =>
    post(
      '/dashboard/enrollment/preview',
      [
        { name: '_csrf', value: session.csrf },
        { name: 'roster', filename, content },
      ],
      headers,
    );
  const paste = (text: string) =>
    post('/dashboard/enrollment/preview', [
      { name: '_csrf', value: session.csrf },
      { name: 'roster', filename: '', content: '' },
      { name: 'paste', value: text },
    ]);
  const confirm = (importId: string | undefined, headers: Record<string, string> = ORIGIN, csrf = session.csrf) =>
    env.web.inject({
      method: 'POST',
      url: '/dashboard/enrollment/confirm',
      headers: { ...headers, cookie: session.cookie },
      payload: { _csrf: csrf, ...(importId === undefined ? {} : { importId }) },
    });
  const importIdOf = (body: string) => /name="importId" value="([^"]+)"/.exec(body)?.[1];
  /** What the department has: nothing of this must change on a refusal. */
  const written = async () => ({
    people: (await env.stack.db.selectFrom('people').select('id').where('department_id', '=', department()).execute()).length,
    imports: (await env.stack.db.selectFrom('roster_imports').select(['id', 'status']).where('department_id', '=', department()).execute()).filter(
      (i) => i.status !== 'previewed' && i.status !== 'stale',
    ).length,
    previews: (await env.stack.db.selectFrom('roster_imports').select('id').where('department_id', '=', department()).execute()).length,
  });
  /** The page's text as a person reads it: inline tags vanish, block tags separate, entities decoded. */
  const text = (body: string) =>
    body
      .replace(/<style>[\s\S]*?<\/style>/g, '')
      .replace(/<\/?(strong|span|a|time|em)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');

  it('previews an uploaded roster, imports exactly it on confirm, starts every cycle, and refuses a second confirm', async () => {
    const roster = generatedRoster(4, 'page', 2099);
    const preview = await upload(roster);
    expect(preview.statusCode).toBe(200);
    expect(text(preview.body)).toContain('Read roster.csv as UTF-8, comma-separated: 4 rows of pairs.');
    expect(preview.body).toMatch(/id="count-new-pairs">4</);
    expect(preview.body).toContain('data-program="PhD Biology"');
    expect(await written()).toMatchObject({ people: 0, imports: 0 });
    const importId = importIdOf(preview.body)!;

    const confirmed = await confirm(importId);
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(`/dashboard/enrollment/imports/${importId}`);
    const done = await eventually(
      () => env.web.inject({ method: 'GET', url: confirmed.headers.location as string, headers: { cookie: session.cookie } }),
      (r) => r.body.includes('id="import-complete"'),
      60_000,
      'every cycle started',
    );
    expect(text(done.body)).toContain('All 4 cycles have started.');
    expect(text(done.body)).toContain('Cycles started: 4 of 4');
    const starts = await env.stack.db.selectFrom('roster_import_starts').select('status').where('import_id', '=', importId).execute();
    expect(starts.map((s) => s.status)).toEqual(['started', 'started', 'started', 'started']);

    // Confirming the same preview again imports nothing and starts nothing: it shows the import.
    const again = await confirm(importId);
    expect(again.statusCode).toBe(303);
    const shown = await env.web.inject({ method: 'GET', url: again.headers.location as string, headers: { cookie: session.cookie } });
    expect(text(shown.body)).toContain('This preview was already confirmed; it was imported once and is not imported again.');
    expect(await env.stack.db.selectFrom('roster_import_starts').select('status').where('import_id', '=', importId).execute()).toHaveLength(4);

    // The list of past imports names who imported what.
    const home = await env.web.inject({ method: 'GET', url: '/dashboard/enrollment', headers: { cookie: session.cookie } });
    expect(text(home.body)).toMatch(/Casey Coordinator roster\.csv 4 4 new people|Casey Coordinator roster\.csv 4 8 new people/);
  });

  it('previews an amended roster: what changes for whom, and only its own program’s pairs as left out; says when it read Windows-1252', async () => {
    const header = 'mentor_name,mentor_email,mentee_name,mentee_preferred_name,mentee_email,program,academic_year';
    const biology = [
      'Ann Amend,ann.amend@example.edu,Kate Amend,Kate,kate.amend@example.edu,PhD Amended Biology,2099',
      'Ann Amend,ann.amend@example.edu,Lu Amend,,lu.amend@example.edu,PhD Amended Biology,2099',
    ];
    const chemistry = 'Cy Amend,cy.amend@example.edu,Dee Amend,,dee.amend@example.edu,PhD Amended Chemistry,2099';
    for (const rows of [[...biology], [chemistry]]) {
      const preview = await upload([header, ...rows].join('\n') + '\n', 'first.csv');
      expect((await confirm(importIdOf(preview.body))).statusCode).toBe(303);
    }
    // Kate now goes by Katherine, Lu's row is gone, and the file comes from Excel on Windows.
    const amended =
      [
        header,
        biology[0]!.replace(',Kate,', ',Katherine,'),
        'Ann Amend,ann.amend@example.edu,José Amend,,jose.amend@example.edu,PhD Amended Biology,2099',
      ].join('\r\n') + '\r\n';
    const preview = await upload(Buffer.from(amended, 'latin1'), 'amended.csv');
    expect(preview.statusCode).toBe(200);
    const page = text(preview.body);
    expect(page).toContain('kate.amend@example.edu: preferred name: Kate → Katherine');
    expect(page).toContain('Read amended.csv as Windows-1252, comma-separated');
    expect(preview.body).toContain('id="encoding-note"');
    expect(page).toContain('José Amend');
    const missing = [...preview.body.matchAll(/<ul id="missing-pairs">([\s\S]*?)<\/ul>/g)].map((m) => text(m[1]!).trim());
    expect(missing).toEqual(['ann.amend@example.edu → lu.amend@example.edu (PhD Amended Biology)']);
  });

  it('hands the starts over again from the import’s page when the workflow service was away at the confirm', async () => {
    const preview = await upload(generatedRoster(2, 'away', 2099), 'away.csv');
    const importId = importIdOf(preview.body)!;
    // A client whose connection is closed: the rows commit, the hand-over to the workflow fails.
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const away = new Client({ connection });
    await connection.close();
    const confirmed = await confirmRosterImport({ db: env.stack.db, temporal: away, taskQueue: env.stack.taskQueue, policy: env.stack.policy }, importId);
    expect(confirmed.ok && confirmed.startError).toBeTruthy();
    expect(await importProgress(env.stack.db, department(), importId)).toMatchObject({ total: 2, pending: 2, complete: false });
    const done = await eventually(
      () => env.web.inject({ method: 'GET', url: `/dashboard/enrollment/imports/${importId}`, headers: { cookie: session.cookie } }),
      (r) => r.body.includes('id="import-complete"'),
      60_000,
      'the page to resume the import',
    );
    expect(text(done.body)).toContain('All 2 cycles have started.');
  });

  it('asks for a fresh preview when the department changed after it', async () => {
    const tag = 'stale';
    const first = await upload(rosterOf([[`Ann Stale`, `ann.${tag}@example.edu`, 'Bo Stale', `bo.${tag}@example.edu`, 'PhD Biology', '2099']]), 'a.csv');
    const second = await upload(
      rosterOf([[`Ann Stale`, `ann.${tag}@example.edu`, 'Bo Stale', `bo.${tag}@example.edu`, 'PhD Biology', '2099']]) + '\n',
      'b.csv',
    );
    expect((await confirm(importIdOf(second.body))).statusCode).toBe(303);
    const before = await written();
    const stale = await confirm(importIdOf(first.body));
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Upload the file again for a fresh preview.');
    expect(await written()).toEqual(before);
  });

  describe('bad input: a page that says what is wrong and what to do; nothing written, nothing started', () => {
    async function workbook(rows: string[][]): Promise<Buffer> {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Roster');
      for (const row of rows) sheet.addRow(row);
      return Buffer.from(await book.xlsx.writeBuffer());
    }

    it.each([
      ['an empty file', () => upload(''), 422, 'the file is empty'],
      ['a file with no header', () => upload('Ann Bell,ann@example.edu,Bo Chen,bo@example.edu,PhD Biology,2099\n'), 422, 'this row should be the header'],
      [
        'a binary file',
        () => upload(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x00, 0x01]), 'roster.pdf'),
        422,
        'the file is a PDF document, not a roster',
      ],
      ['a spreadsheet with no rows', async () => upload(await workbook([]), 'roster.xlsx'), 422, 'first sheet has no rows'],
      ['a paste that is not a roster', () => paste('Hi Casey, here are the new students: Ann and Bo.'), 422, 'this row should be the header'],
      ['nothing chosen or pasted', () => paste('   '), 400, 'no file was chosen and nothing was pasted'],
      ['a file over the limit', () => upload(Buffer.alloc(MAX_ROSTER_BYTES + 1, 0x61)), 413, 'over the 20 MB limit'],
      [
        'a roster with mistakes',
        () => upload(rosterOf([['Ann Bell', 'ann-at-example.edu', 'Bo Chen', 'bo@example.edu', 'PhD Biology', '2099']])),
        422,
        '"ann-at-example.edu" is not an email address',
      ],
      [
        'an upload without its CSRF token',
        () => post('/dashboard/enrollment/preview', [{ name: 'roster', filename: 'r.csv', content: generatedRoster(1, 'nocsrf') }]),
        403,
        'security token is missing',
      ],
      ['a cross-site upload', () => upload(generatedRoster(1, 'xsite'), 'r.csv', { origin: 'https://evil.example' }), 403, 'was not sent from Tandem'],
      ['a confirm without a preview', () => confirm(undefined), 400, 'There is no preview to confirm. Upload the roster first'],
      ['a confirm of an unknown preview', () => confirm('00000000-0000-4000-8000-000000000000'), 404, 'There is no such preview'],
      ['a confirm without its CSRF token', () => confirm('00000000-0000-4000-8000-000000000000', ORIGIN, ''), 403, 'security token is missing'],
      ['a cross-site confirm', () => confirm('00000000-0000-4000-8000-000000000000', { origin: 'https://evil.example' }), 403, 'was not sent from Tandem'],
    ])('%s', async (_name, send, status, message) => {
      const before = await written();
      const response = await send();
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(text(response.body)).toContain(message);
      const after = await written();
      expect(after.people).toBe(before.people);
      expect(after.imports).toBe(before.imports);
      // Only a roster that passes every check is kept for its preview.
      expect(after.previews).toBe(before.previews);
    });

    it('keeps what was pasted, and shows each problem with its row, column and the value as read', async () => {
      const typed = 'mentor_name,mentor_email,mentee_name,mentee_email,program,academic_year\nAnn Bell,ann@example,Bo Chen,bo@example.edu,,2099\n';
      const response = await paste(typed);
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('ann@example,Bo Chen');
      const rows = [...response.body.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td class="value">([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) =>
        m.slice(1, 4),
      );
      expect(rows).toEqual([
        ['2', 'mentor_email', 'ann@example'],
        ['2', 'program', ''],
      ]);
    });

    it('turns away staff without the coordinator role, and a signed-out visitor', async () => {
      const officer = await makeStaff(env.stack, ['evaluation'], 'Eve Officer');
      const theirs = await signIn(env.web, env.stack, officer.email);
      for (const url of ['/dashboard/enrollment']) {
        const page = await env.web.inject({ method: 'GET', url, headers: { cookie: theirs.cookie } });
        expect(page.statusCode).toBe(403);
        expect(text(page.body)).toContain('It needs the coordinator role');
      }
      const before = await written();
      const form = multipartForm([
        { name: '_csrf', value: theirs.csrf },
        { name: 'roster', filename: 'r.csv', content: generatedRoster(1, 'officer') },
      ]);
      const refused = await env.web.inject({
        method: 'POST',
        url: '/dashboard/enrollment/preview',
        headers: { ...ORIGIN, accept: 'text/html', cookie: theirs.cookie, 'content-type': form.contentType },
        payload: form.payload,
      });
      expect(refused.statusCode).toBe(403);
      expect(text(refused.body)).toContain('It needs the coordinator role');
      expect((await env.web.inject({ method: 'GET', url: '/dashboard/enrollment' })).statusCode).toBe(303);
      expect(await written()).toEqual(before);
    });
  });
});
