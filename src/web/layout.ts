/**
 * The page shell every Tandem page shares: a skip link, one <main>, the department's name,
 * a stylesheet with visible focus rings and enough contrast to pass WCAG AA.
 */
import { html, trustedHtml, type Html } from './html.ts';

const STYLES = trustedHtml(`
:root { color-scheme: light; --ink:#1d2430; --muted:#4c5668; --line:#d5dae3; --accent:#1f5fa8; --warn:#9a3b00; --bad:#a4161a; --ok:#256c2e; --bg:#f7f8fa; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline:3px solid #f2a900; outline-offset:2px; }
.skip { position:absolute; left:-999px; } .skip:focus { left:1rem; top:1rem; background:#fff; padding:.5rem; z-index:1; }
header.site { background:#fff; border-bottom:1px solid var(--line); padding:.75rem 1.5rem; display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:center; justify-content:space-between; }
header.site .brand { font-weight:700; text-decoration:none; color:var(--ink); }
main { max-width:68rem; margin:0 auto; padding:1.5rem; }
main.narrow { max-width:42rem; }
h1 { font-size:1.6rem; margin:.2rem 0 1rem; } h2 { font-size:1.2rem; margin-top:2rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem 1.25rem; margin:1rem 0; }
label { display:block; font-weight:600; margin-top:1rem; }
.hint { color:var(--muted); font-size:.9rem; font-weight:400; }
input[type=text], input[type=email], input[type=date], input[type=datetime-local], input[type=number], input[type=time], select, textarea { width:100%; padding:.5rem; border:1px solid #8a93a3; border-radius:6px; font:inherit; background:#fff; }
textarea { min-height:6rem; }
button, .button { display:inline-block; margin-top:1rem; padding:.55rem 1.1rem; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; font:inherit; font-weight:600; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--bad); border-color:var(--bad); }
.notice { border-left:4px solid var(--accent); background:#eef4fb; padding:.75rem 1rem; border-radius:4px; }
.notice.error { border-color:var(--bad); background:#fbeeee; }
.notice.success { border-color:var(--ok); background:#eef7ef; }
table { width:100%; border-collapse:collapse; background:#fff; }
th, td { text-align:left; padding:.5rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85rem; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); }
tbody th { font-size:1rem; text-transform:none; letter-spacing:0; color:var(--ink); font-weight:600; }
td time { white-space:nowrap; }
.badge { display:inline-block; padding:.1rem .5rem; border-radius:999px; font-size:.8rem; font-weight:600; background:#e8ebf0; }
.badge.stalled { background:#fde8d7; color:var(--warn); } .badge.active { background:#e3f0e4; color:var(--ok); } .badge.ended { background:#eee; color:var(--muted); }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
fieldset { border:1px solid var(--line); border-radius:6px; padding:.5rem 1rem 1rem; margin-top:1rem; }
legend { font-weight:600; padding:0 .3rem; }
`);

export interface PageOptions {
  title: string;
  departmentName: string;
  body: Html;
  /** Shown at the right of the header: who is signed in, a sign-out form. */
  headerExtra?: Html;
  narrow?: boolean;
  /** Extra CSS for one area's pages (trusted, written in code). */
  styles?: string;
}

export function page(options: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · Tandem</title>
<style>${STYLES}</style>
${options.styles ? html`<style>${trustedHtml(options.styles)}</style>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><a class="brand" href="/">Tandem · ${options.departmentName}</a>${options.headerExtra}</header>
<main id="main" class="${options.narrow ? 'narrow' : ''}" tabindex="-1">
${options.body}
</main>
</body>
</html>`.value;
}
