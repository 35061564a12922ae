/**
 * The coordinator's pages on the real web server and Postgres (projection rows seeded
 * directly): access control, CSRF, filters, pagination, escaping, CSV, timeline, OpenAPI.
 */
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStaff, ORIGIN, seedCycle, signIn } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

describe('coordinator dashboard pages', () => {
  const env = useWebStack();
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    const staff = await makeStaff(env.stack);
    session = await signIn(env.web, env.stack, staff.email);
  });
  const get = (url: string, cookie = session.cookie) => env.web.inject({ method: 'GET', url, headers: { cookie } });

  it('turns away a signed-out visitor on every dashboard route and action, changing nothing', async () => {
    const { cycleId } = await seedCycle(env.stack, { program: 'Signed-out check', status: 'stalled' });
    for (const url of ['/dashboard', '/dashboard?state=all', '/dashboard/export.csv', `/dashboard/cycles/${cycleId}`]) {
      const response = await env.web.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
      const api = await env.web.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect(api.statusCode, url).toBe(401);
    }
    for (const action of ['nudge', 'snooze', 'resolve', 'pause', 'resume', 'end']) {
      const response = await env.web.inject({
        method: 'POST',
        url: `/dashboard/cycles/${cycleId}/${action}`,
        headers: ORIGIN,
        payload: { _csrf: 'x', step: 'expectations', reason: 'other', until: '2030-01-01' },
      });
      expect(response.statusCode, action).toBe(401);
    }
    // A bogus cookie is the same as none.
    expect((await get('/dashboard', 'tandem_staff=' + 'a'.repeat(43))).statusCode).toBe(303);
    const row = await env.stack.db.selectFrom('cycles').select(['status', 'current_step']).where('id', '=', cycleId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'stalled', current_step: 'expectations' });
  });

  it('refuses staff without the coordinator role', async () => {
    const evaluator = await makeStaff(env.stack, ['evaluation'], 'Eva Evaluator');
    const path = await (await import('./dashboard-support.ts')).requestLoginLink(env.web, env.stack, evaluator.email);
    const spent = await env.web.inject({ method: 'POST', url: path, headers: ORIGIN, payload: {} });
    // Signed in, they land on their own role's home, not the dashboard.
    expect(spent.headers.location).toBe('/evaluation');
    const cookie = (await import('./dashboard-support.ts')).sessionCookie(spent);
    const refused = await get('/dashboard', cookie);
    expect(refused.statusCode).toBe(403);
    // A page, not a JSON error: what is missing, and the area this account does open.
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.body).toContain('It needs the coordinator role');
    expect(refused.body).toContain('<a href="/evaluation">Evaluation packets</a>');
    expect(refused.body).not.toContain('href="/dashboard"');
    expect(refused.body).toContain('id="logout"');
    const action = await env.web.inject({
      method: 'POST',
      url: `/dashboard/cycles/00000000-0000-4000-8000-000000000000/nudge`,
      headers: { cookie, ...ORIGIN },
      payload: { _csrf: 'x', step: 'expectations' },
    });
    expect(action.statusCode).toBe(403);
  });

  it('lists stalled cycles first, oldest stall first, with step, since when, owed by, rung and delivery problems', async () => {
    const program = 'Order check';
    await seedCycle(env.stack, { program, status: 'running', dueAt: new Date('2026-09-01T00:00:00Z'), mentorName: 'Running Early' });
    await seedCycle(env.stack, {
      program,
      status: 'stalled',
      stalledSince: new Date('2026-10-20T00:00:00Z'),
      mentorName: 'Stalled Later',
      owedBy: 'mentee',
      rung: 3,
    });
    await seedCycle(env.stack, {
      program,
      status: 'stalled',
      stalledSince: new Date('2026-10-01T00:00:00Z'),
      mentorName: 'Stalled First',
      deliveryProblem: 'Mail to the mentor (x@example.edu) is refused: 550 no such user.',
      menteeUndeliverable: true,
    });
    const response = await get(`/dashboard?program=${encodeURIComponent(program)}`);
    expect(response.statusCode).toBe(200);
    const names = [...response.body.matchAll(/<span class="mentor-name">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(names).toEqual(['Stalled First', 'Stalled Later', 'Running Early']);
    const first = response.body.slice(response.body.indexOf('Stalled First'), response.body.indexOf('Stalled Later'));
    expect(first).toContain('Stalled</span>');
    expect(first).toContain('datetime="2026-10-01T00:00:00.000Z"');
    expect(first).toContain('3 · Coordinator notified');
    expect(first).toContain('550 no such user');
    expect(first).toContain("Mentee's address refuses mail");
    const later = response.body.slice(response.body.indexOf('Stalled Later'), response.body.indexOf('Running Early'));
    expect(later).toContain('<td>Mentee</td>');
    expect(later).toContain('4 · Referred to a resource');
  });

  it('filters by program, mentor, stage and state, and paginates', async () => {
    const program = 'Filter check';
    const shared = 'shared.mentor@example.edu';
    await seedCycle(env.stack, { program, mentorEmail: shared, mentorName: 'Shared Mentor', step: 'check-in-1' });
    await seedCycle(env.stack, { program, mentorEmail: shared, mentorName: 'Shared Mentor', status: 'paused' });
    for (let i = 0; i < 55; i++) await seedCycle(env.stack, { program, step: 'feedback', mentorName: `Bulk ${String(i).padStart(2, '0')}` });
    const rows = (body: string) => [...body.matchAll(/<tr id="cycle-/g)].length;

    expect(rows((await get(`/dashboard?program=${encodeURIComponent(program)}&mentor=${shared}`)).body)).toBe(2);
    expect(rows((await get(`/dashboard?program=${encodeURIComponent(program)}&mentor=${shared}&state=paused`)).body)).toBe(1);
    expect(rows((await get(`/dashboard?program=${encodeURIComponent(program)}&stage=check-in-1`)).body)).toBe(1);
    expect(rows((await get(`/dashboard?program=${encodeURIComponent(program)}&state=completed`)).body)).toBe(0);

    const page1 = await get(`/dashboard?program=${encodeURIComponent(program)}&stage=feedback`);
    expect(rows(page1.body)).toBe(50);
    expect(page1.body).toContain('(1–50 of 55)');
    expect(page1.body).toContain('Page 1 of 2');
    const page2 = await get(`/dashboard?program=${encodeURIComponent(program)}&stage=feedback&page=2`);
    expect(rows(page2.body)).toBe(5);
    expect(page2.body).toContain('id="page-prev"');
    // The chart counts the program's cycles by stage, as a table.
    expect(page1.body).toMatch(/<tr data-stage="feedback"><th scope="row">Feedback<\/th><td>55<\/td>/);
  });

  it('names the field of a bad filter, keeps what was typed, and shows the unfiltered list', async () => {
    const bad = await get('/dashboard?state=asleep&mentor=%3Cscript%3E');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="filter-error">(mentor|state): /);
    expect(bad.body).toContain('value="&lt;script&gt;"');
    expect(bad.body).not.toContain('<script>');
    const stage = await get('/dashboard?stage=nap');
    expect(stage.statusCode).toBe(400);
    expect(stage.body).toContain('stage: must be one of expectations, check-in-1');
    // Unknown parameters are dropped, not errors (old bookmarks keep working).
    expect((await get('/dashboard?sort=name')).statusCode).toBe(200);
  });

  it('renders a pair named <script> as text, on the list and on its page', async () => {
    const { cycleId } = await seedCycle(env.stack, {
      program: 'Escaping check',
      mentorName: '<script>alert(1)</script>',
      menteeName: '"><img src=x onerror=alert(2)>',
    });
    for (const url of [`/dashboard?program=Escaping%20check`, `/dashboard/cycles/${cycleId}`]) {
      const body = (await get(url)).body;
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(body).not.toContain('<script>alert(1)');
      expect(body).not.toContain('<img src=x');
    }
  });

  it('exports the filtered list as CSV with formula cells neutralised and quoting intact', async () => {
    const program = 'CSV check';
    await seedCycle(env.stack, { program, mentorName: '=HYPERLINK("http://evil.example","click")', menteeName: 'Comma, "Quoted"\nNewline', status: 'stalled' });
    await seedCycle(env.stack, { program, mentorName: '+1 Plus', menteeName: '-2 Minus' });
    await seedCycle(env.stack, { program, mentorName: '@SUM(A1)', menteeName: '\tTabbed' });
    const response = await get(`/dashboard/export.csv?program=${encodeURIComponent(program)}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="tandem-cycles-\d{4}-\d{2}-\d{2}\.csv"$/);
    const records = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    expect(records[0]!.mentor).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(records[0]!.mentee).toBe('Comma, "Quoted"\nNewline');
    expect(records[0]!.state).toBe('Stalled');
    const mentors = records.map((r) => r.mentor);
    expect(mentors).toContain("'+1 Plus");
    expect(mentors).toContain("'@SUM(A1)");
    const mentees = records.map((r) => r.mentee);
    expect(mentees).toContain("'-2 Minus");
    expect(mentees).toContain("'\tTabbed");
    for (const r of records) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('shows a pair timeline from the projection, never what a person typed', async () => {
    const { cycleId } = await seedCycle(env.stack, { program: 'Timeline check', status: 'stalled' });
    await env.stack.db
      .insertInto('cycle_events')
      .values([
        {
          cycle_id: cycleId,
          event_key: 'e1',
          occurred_at: new Date('2026-09-01T00:00:00Z'),
          step: null,
          kind: 'cycle-started',
          detail: JSON.stringify({ academicYear: 2026, run: 'abc' }),
        },
        {
          cycle_id: cycleId,
          event_key: 'e2',
          occurred_at: new Date('2026-10-06T00:00:00Z'),
          step: 'expectations',
          kind: 'escalated',
          detail: JSON.stringify({ rung: 'notify-coordinator' }),
        },
      ])
      .execute();
    const person = await env.stack.db
      .selectFrom('pairs')
      .select('mentor_id')
      .where('id', '=', (await env.stack.db.selectFrom('cycles').select('pair_id').where('id', '=', cycleId).executeTakeFirstOrThrow()).pair_id)
      .executeTakeFirstOrThrow();
    await env.stack.db
      .insertInto('expectations')
      .values({
        cycle_id: cycleId,
        author_person_id: person.mentor_id,
        version: 1,
        meeting_cadence_days: 14,
        meeting_local_time: '10:00',
        meeting_format: 'video',
        response_time_norms: 'CONFIDENTIAL-NORMS',
        work_life_boundaries: 'CONFIDENTIAL-BOUNDARIES',
        leave_contingencies: 'CONFIDENTIAL-LEAVE',
      })
      .execute();
    const response = await get(`/dashboard/cycles/${cycleId}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<ol id="timeline"[^>]*>[\s\S]*Escalated<\/strong> · Expectations[\s\S]*Cycle started/);
    expect(response.body).toContain('rung: Coordinator notified');
    expect(response.body).not.toContain('CONFIDENTIAL');
    expect(response.body).toContain('id="nudge-button"');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
    expect((await get(`/dashboard/cycles/${ZERO_UUID}`)).statusCode).toBe(404);
    expect((await get('/dashboard/cycles/not-a-uuid')).statusCode).toBe(400);
  });

  it("hides another department's cycles: not listed, not shown, not acted on", async () => {
    const { cycleId } = await seedCycle(env.stack, { program: 'Other department', status: 'stalled', mentorName: 'Elsewhere Mentor' });
    await env.stack.db
      .insertInto('departments')
      .values({ id: 'another-dept', name: 'Another' })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const pair = await env.stack.db.selectFrom('cycles').select('pair_id').where('id', '=', cycleId).executeTakeFirstOrThrow();
    await env.stack.db.updateTable('pairs').set({ department_id: 'another-dept' }).where('id', '=', pair.pair_id).execute();
    expect((await get('/dashboard?state=all')).body).not.toContain('Elsewhere Mentor');
    expect((await get('/dashboard/export.csv?state=all')).body).not.toContain('Elsewhere Mentor');
    expect((await get(`/dashboard/cycles/${cycleId}`)).statusCode).toBe(404);
    const act = await env.web.inject({
      method: 'POST',
      url: `/dashboard/cycles/${cycleId}/resolve`,
      headers: { cookie: session.cookie, ...ORIGIN },
      payload: { _csrf: session.csrf, step: 'expectations' },
    });
    expect(act.statusCode).toBe(404);
  });

  it('refuses an action without the CSRF token, with a wrong one, or from another origin', async () => {
    const { cycleId } = await seedCycle(env.stack, { program: 'CSRF check', status: 'stalled' });
    const post = (payload: Record<string, string>, headers: Record<string, string> = ORIGIN) =>
      env.web.inject({ method: 'POST', url: `/dashboard/cycles/${cycleId}/resolve`, headers: { cookie: session.cookie, ...headers }, payload });
    expect((await post({ step: 'expectations' })).statusCode).toBe(403);
    expect((await post({ step: 'expectations', _csrf: 'wrong-token' })).statusCode).toBe(403);
    expect((await post({ step: 'expectations', _csrf: session.csrf }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post({ step: 'expectations', _csrf: session.csrf }, {})).statusCode).toBe(403);
    const logout = await env.web.inject({ method: 'POST', url: '/logout', headers: { cookie: session.cookie, ...ORIGIN }, payload: {} });
    expect(logout.statusCode).toBe(403);
    const row = await env.stack.db.selectFrom('cycles').select(['status', 'current_step']).where('id', '=', cycleId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'stalled', current_step: 'expectations' });
  });

  it('ends a session on sign-out, and after an idle hour', async () => {
    const staff = await makeStaff(env.stack);
    const a = await signIn(env.web, env.stack, staff.email);
    const out = await env.web.inject({ method: 'POST', url: '/logout', headers: { cookie: a.cookie, ...ORIGIN }, payload: { _csrf: a.csrf } });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login?signed_out=1');
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await get('/dashboard', a.cookie)).statusCode).toBe(303);

    const b = await signIn(env.web, env.stack, staff.email);
    await env.stack.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: new Date(Date.now() - 61 * 60_000) })
      .where('staff_id', '=', staff.id)
      .execute();
    expect((await get('/dashboard', b.cookie)).statusCode).toBe(303);
    expect(await env.stack.db.selectFrom('staff_sessions').select('id_hash').where('staff_id', '=', staff.id).execute()).toEqual([]);
  });

  it('describes every route in the OpenAPI document at /docs', async () => {
    const doc = (await env.web.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/login',
      '/login/{token}',
      '/logout',
      '/dashboard',
      '/dashboard/export.csv',
      '/dashboard/cycles/{cycleId}',
      '/dashboard/cycles/{cycleId}/nudge',
      '/dashboard/cycles/{cycleId}/end',
      '/api/enrollments',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(JSON.stringify(doc.paths['/dashboard'])).toContain('"stage"');
    expect((await env.web.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
