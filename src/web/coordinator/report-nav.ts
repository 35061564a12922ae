/** The links between the coordinator's report pages (year report, IDP statement, policy), under the dashboard. */
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { staffHeader } from '../staff/staff-header.ts';

const LINKS = [
  { href: '/dashboard', label: 'Cycles' },
  { href: '/dashboard/reports', label: 'Year report' },
  { href: '/dashboard/reports/idp', label: 'NIH IDP statement' },
  { href: '/dashboard/policy', label: 'Policy in effect' },
] as const;

export type ReportHref = (typeof LINKS)[number]['href'];

export function reportNav(current: ReportHref): Html {
  return html`<nav aria-label="Coordinator pages" class="no-print" style="display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin-bottom:.5rem">
${LINKS.map((l) => (l.href === current ? html`<a href="${l.href}" aria-current="page"><strong>${l.label}</strong></a>` : html`<a href="${l.href}">${l.label}</a>`))}
</nav>`;
}

/** Styles the report pages share: print without the chrome, tables that scroll inside their box on a phone. */
export const REPORT_STYLES = `
@media print { header.site, .no-print, .skip { display:none !important } main { max-width:none; padding:0 } .card { border:none; padding:0 } }
.scroll { overflow-x:auto; max-width:100% }
main code, td a, .hint { overflow-wrap:anywhere }
td.count, th.count { text-align:right; font-variant-numeric: tabular-nums } td.count { white-space:nowrap }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.25rem 1rem; margin:0 }
dl.facts dt { font-weight:600 } dl.facts dd { margin:0 }
@media (max-width: 40rem) { dl.facts { grid-template-columns:1fr } dl.facts dd { margin-bottom:.5rem } }
`;

/** A report page: the staff header, the links between report pages, and the print styles. */
export function reportShell(options: {
  title: string;
  departmentName: string;
  staff: SignedInStaff;
  current: ReportHref;
  body: Html;
  print?: boolean;
}): string {
  return page({
    title: options.title,
    departmentName: options.departmentName,
    headerExtra: options.print ? undefined : staffHeader(options.staff),
    styles: REPORT_STYLES,
    body: html`${options.print ? '' : reportNav(options.current)}
${options.body}`,
  });
}
