/**
 * The dev inbox: a page listing what the mail catcher received, each message readable as
 * HTML, text or raw source, with its calendar attachment downloadable. Dev only.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { escapeHtml } from '../mail/render.ts';
import type { MailCatcher } from '../mail/catcher.ts';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd}iframe{width:100%;height:60vh;border:1px solid #ccc}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style></head><body>${body}</body></html>`;
}

export async function startInboxServer(catcher: MailCatcher, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://inbox');
    const match = /^\/messages\/(\d+)(?:\/(html|raw|ics))?$/.exec(url.pathname);
    if (url.pathname === '/') {
      const rows = [...catcher.messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${m.receivedAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${escapeHtml(m.envelopeTo.join(', '))}</td>` +
            `<td><a href="/messages/${m.id}">${escapeHtml(m.parsed.subject ?? '(no subject)')}</a></td></tr>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          'Tandem dev inbox',
          `<h1>Tandem dev inbox</h1><p>${catcher.messages.length} messages. Nothing here leaves this machine.</p>
<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`,
        ),
      );
      return;
    }
    const message = match ? catcher.messages.find((m) => m.id === Number(match[1])) : undefined;
    if (!match || !message) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such message.');
      return;
    }
    const view = match[2];
    if (view === 'html') {
      // The message's own HTML, sandboxed: it is shown, never run.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      });
      res.end(message.parsed.html || `<pre>${escapeHtml(message.parsed.text ?? '')}</pre>`);
    } else if (view === 'raw') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(message.raw);
    } else if (view === 'ics') {
      const ics = message.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar') || a.contentType === 'application/ics');
      if (!ics) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('No calendar invite in this message.');
      res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'attachment; filename="invite.ics"' }).end(ics.content);
    } else {
      const hasIcs = message.parsed.attachments.some((a) => a.contentType.startsWith('text/calendar') || a.contentType === 'application/ics');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          message.parsed.subject ?? 'Message',
          `<p><a href="/">← Inbox</a></p><h1>${escapeHtml(message.parsed.subject ?? '(no subject)')}</h1>
<p>From ${escapeHtml(message.parsed.from?.text ?? '')}<br>To ${escapeHtml(message.envelopeTo.join(', '))}</p>
<p><a href="/messages/${message.id}/raw">Raw source</a>${hasIcs ? ` · <a href="/messages/${message.id}/ics">Calendar invite (.ics)</a>` : ''}</p>
<iframe sandbox title="Message body" src="/messages/${message.id}/html"></iframe><h2>Plain text</h2><pre>${escapeHtml(message.parsed.text ?? '')}</pre>`,
        ),
      );
    }
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
