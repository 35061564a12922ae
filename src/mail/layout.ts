/**
 * The one layout of every mail Tandem sends: the HTML shell, its button and signature, the
 * text footer, and the sender's display name. Values a person typed are escaped here.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The From display name of every mail: the department's mentoring program. */
export function mailSenderName(departmentName: string): string {
  return `${departmentName} Mentoring`;
}

/** The signature of mails about Tandem itself (staff accounts, department notices, address changes). */
export function toolSignature(departmentName: string): string {
  return `— Tandem, for ${departmentName}`;
}

/** The signature of mails to participants about their mentoring year. */
export function programSignature(departmentName: string): string {
  return `— ${departmentName}, mentoring program`;
}

/** The HTML document around a mail's body. */
export function htmlMail(body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>' +
    '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.5;max-width:40rem;color:#1b1b1b">' +
    body +
    '</body></html>'
  );
}

export function htmlParagraphs(paragraphs: string[]): string {
  return paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
}

/** The mail's one call to action. */
export function htmlButton(url: string, label: string): string {
  return `<p style="margin:1.5rem 0"><a href="${escapeHtml(url)}" style="background:#1f5fa8;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p>`;
}

/** The signature as the HTML's last paragraph, with an optional small line under it. */
export function htmlSignature(signature: string, note?: string | null): string {
  return `<p style="color:#555">${escapeHtml(signature)}${note ? `<br><small>${escapeHtml(note)}</small>` : ''}</p>`;
}

/** The text part: blocks separated by a blank line, ending with a newline. */
export function textMail(blocks: string[]): string {
  return blocks.join('\n\n') + '\n';
}
