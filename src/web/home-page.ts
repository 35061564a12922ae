/**
 * GET /: what Tandem is and where each reader goes next. Participants have no accounts (they
 * act from the links in their emails); staff sign in by emailed link.
 */
import type { Policy } from '../domain/policy.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { coordinatorContact } from './participant/pages.ts';

export function homePage(policy: Pick<Policy, 'department'>): string {
  const { department } = policy;
  return page({
    title: 'Mentoring',
    departmentName: department.name,
    narrow: true,
    body: html`<h1>Mentoring with Tandem</h1>
<p>For the ${department.name}, Tandem keeps each mentor–mentee pair's year on track: agreeing expectations, regular check-ins, training and career goals, and feedback.</p>
<section class="card" aria-labelledby="home-participants">
<h2 id="home-participants" style="margin-top:0">Mentors and mentees</h2>
<p>You do not need an account. Each step arrives by email with a link made for you; open it to share expectations, pick a check-in time, update goals or give feedback.</p>
<p>A link works only for you and that step, and for a limited time. If one has expired or was already used, the next reminder brings a new one, or write to ${coordinatorContact(department.coordinators)}.</p>
</section>
<section class="card" aria-labelledby="home-staff">
<h2 id="home-staff" style="margin-top:0">Coordinators and staff</h2>
<p>See which pairs are stuck and act on them from the dashboard.</p>
<p><a class="button" href="/login" id="home-sign-in">Sign in to the dashboard</a></p>
</section>`,
  });
}
