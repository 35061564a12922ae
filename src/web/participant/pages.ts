/**
 * The frame of every participant page, and the pages for links that cannot be used
 * (incomplete, not ours, expired, already used), each saying how to get a fresh link.
 *
 * Fresh links: every reminder the program sends carries new links, and the coordinator can
 * send one on request. We do not offer an "enter your email to get a new link" form: it
 * would let anyone probe which addresses are enrolled, and the coordinator is a person the
 * participant already knows (the design's ladder brings them in for stalled steps anyway).
 */
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { FORM_STYLES } from './form-fields.ts';
import type { LinkProblem } from './link-context.ts';

export function participantPage(options: { title: string; departmentName: string; body: Html }): string {
  return page({ title: options.title, departmentName: options.departmentName, narrow: true, styles: FORM_STYLES, body: options.body });
}

/** "write to Mentoring Coordinator (mentoring-coordinator@example.edu)". */
export function coordinatorContact(coordinators: { name: string; email: string }[]): Html {
  if (coordinators.length === 0) return html`the department's mentoring coordinator`;
  return html`${coordinators.map((c, i) => html`${i > 0 ? (i === coordinators.length - 1 ? ' or ' : ', ') : ''}${c.name} (<a href="mailto:${c.email}">${c.email}</a>)`)}`;
}

export function freshLinkAdvice(coordinators: { name: string; email: string }[]): Html {
  return html`<h2>Getting a fresh link</h2>
<p>Every reminder we send you carries a new link, so the next message about this step will have one. If you need it sooner, write to ${coordinatorContact(coordinators)}; they can send you a new link or record the step for you.</p>`;
}

export function linkProblemPage(problem: LinkProblem, departmentName: string, coordinators: { name: string; email: string }[]): string {
  return participantPage({
    title: problem.title,
    departmentName,
    body: html`<h1>${problem.title}</h1>
<div class="notice error"><p>${problem.text}</p></div>
${freshLinkAdvice(coordinators)}`,
  });
}

/** "Thursday, November 26, 2026 at 10:00 AM EST" in the reader's zone. */
export function momentIn(at: Date | number | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(at)) + ` (${zoneLabel(at, timeZone)})`;
}

function zoneLabel(at: Date | number | string, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "November 26, 2026" in the reader's zone. */
export function dayIn(at: Date | number | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone }).format(new Date(at));
}
