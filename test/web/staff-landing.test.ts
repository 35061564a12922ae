/**
 * Where staff land after signing in by emailed link, on the real web server, Postgres and
 * SMTP sink: each role in its own area, never refused on a dashboard it cannot use.
 */
import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../../src/staff/roles.ts';
import { makeStaff, ORIGIN, requestLoginLink, sessionCookie } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

describe('landing after staff sign-in', () => {
  const env = useWebStack();

  async function signInWith(roles: StaffRole[], next?: string) {
    const staff = await makeStaff(env.stack, roles);
    const path = await requestLoginLink(env.web, env.stack, staff.email);
    return env.web.inject({ method: 'POST', url: path.split('?')[0]!, headers: ORIGIN, payload: next ? { next } : {} });
  }

  const cases: { roles: StaffRole[]; home: string }[] = [
    { roles: ['coordinator'], home: '/dashboard' },
    { roles: ['evaluation'], home: '/evaluation' },
    { roles: ['resource'], home: '/resources/help-requests' },
    { roles: ['evaluation', 'resource'], home: '/evaluation' },
  ];

  for (const { roles, home } of cases) {
    it(`sends ${roles.join(' + ')} staff to ${home}, which opens, even when the dashboard was asked for`, async () => {
      const spent = await signInWith(roles);
      expect(spent.statusCode).toBe(303);
      expect(spent.headers.location).toBe(home);
      const cookie = sessionCookie(spent);
      expect((await env.web.inject({ method: 'GET', url: home, headers: { cookie, accept: 'text/html' } })).statusCode).toBe(200);
      // Already signed in, /login?next=/dashboard sends them where they can work, not to a 403.
      const again = await env.web.inject({ method: 'GET', url: '/login?next=%2Fdashboard%3Fstate%3Dstalled', headers: { cookie } });
      expect(again.headers.location).toBe(roles.includes('coordinator') ? '/dashboard?state=stalled' : home);

      const askedDashboard = await signInWith(roles, '/dashboard');
      expect(askedDashboard.headers.location).toBe(roles.includes('coordinator') ? '/dashboard' : home);
    });
  }

  it('still honours a page the role can reach', async () => {
    const spent = await signInWith(['resource'], '/resources/help-requests?reason=reply');
    expect(spent.headers.location).toBe('/resources/help-requests?reason=reply');
  });
});
