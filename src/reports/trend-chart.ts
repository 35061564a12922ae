/**
 * The five-year trend as a server-rendered SVG bar chart: one group of bars per academic
 * year, one bar per series. The chart is an image whose text alternative is the trend table
 * (`tableId`); it is built from numbers only, so it is safe as trusted markup.
 */
import { trustedHtml, type Html } from '../web/html.ts';
import { TREND_SERIES } from './report-lines.ts';
import type { YearReport } from '../stores/year-report-store.ts';
import { formatAcademicYear } from '../domain/academic-year.ts';

const W = 640;
const H = 300;
const PAD = { left: 44, right: 12, top: 40, bottom: 36 };

function niceMax(max: number): number {
  if (max <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

export function trendChart(reports: YearReport[], tableId: string): Html {
  const values = reports.map((r) => TREND_SERIES.map((s) => s.of(r).value));
  const top = niceMax(Math.max(0, ...values.flat()));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, reports.length);
  const barW = (groupW * 0.8) / TREND_SERIES.length;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const v = (top / 5) * i;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d5dae3"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#4c5668">${Math.round(v)}</text>`);
  }
  reports.forEach((r, gi) => {
    const gx = PAD.left + gi * groupW + groupW * 0.1;
    TREND_SERIES.forEach((s, si) => {
      const v = values[gi]![si]!;
      const x = gx + si * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(PAD.top + plotH - y(v)).toFixed(1)}" fill="${s.color}" data-year="${r.academicYear}" data-series="${s.key}" data-value="${v}"/>`,
      );
    });
    parts.push(
      `<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle" font-size="12" fill="#1d2430">${formatAcademicYear(r.academicYear)}</text>`,
    );
  });
  TREND_SERIES.forEach((s, si) => {
    const x = PAD.left + si * 150;
    parts.push(`<rect x="${x}" y="10" width="12" height="12" fill="${s.color}"/><text x="${x + 17}" y="20" font-size="12" fill="#1d2430">${s.label}</text>`);
  });
  const years = reports.length ? `${formatAcademicYear(reports[0]!.academicYear)} to ${formatAcademicYear(reports.at(-1)!.academicYear)}` : '';
  return trustedHtml(
    `<svg id="trend-chart" role="img" aria-labelledby="trend-chart-title" aria-describedby="${tableId}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px;height:auto;background:#fff" xmlns="http://www.w3.org/2000/svg">` +
      `<title id="trend-chart-title">Trend ${years}: pairs enrolled, goals reviewed, feedback from both and pairs that stalled, per academic year. The numbers are in the table that follows.</title>` +
      parts.join('') +
      `</svg>`,
  );
}
