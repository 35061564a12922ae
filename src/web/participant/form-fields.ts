/**
 * Accessible form pieces for participant pages: every input has a label, a hint tied by
 * aria-describedby, and, when wrong, an error message tied to it and listed in an error
 * summary at the top whose links move focus to the field (GOV.UK-style pattern).
 */
import { html, type Html } from '../html.ts';
import type { FieldError, FormState } from './action-module.ts';

export const fieldId = (name: string): string => `field-${name}`;

function errorFor(form: FormState, name: string): FieldError | undefined {
  return form.errors.find((e) => e.field === name);
}

function describedBy(name: string, hint: string | undefined, error: FieldError | undefined): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : null, error ? `${fieldId(name)}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function fieldHead(name: string, label: string, hint: string | undefined, error: FieldError | undefined, required: boolean): Html {
  return html`<label for="${fieldId(name)}">${label}${required ? '' : html` <span class="hint">(optional)</span>`}</label>
${hint ? html`<p class="hint" id="${fieldId(name)}-hint">${hint}</p>` : ''}
${error ? html`<p class="field-error" id="${fieldId(name)}-error"><span class="visually-hidden">Error:</span> ${error.message}</p>` : ''}`;
}

export interface TextFieldOptions {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  type?: 'text' | 'number' | 'time' | 'datetime-local' | 'url' | 'email';
  maxLength?: number;
  min?: number;
  max?: number;
  autocomplete?: string;
}

export function textField(form: FormState, o: TextFieldOptions): Html {
  const error = errorFor(form, o.name);
  const required = o.required ?? true;
  return html`<div class="field${error ? ' has-error' : ''}">
${fieldHead(o.name, o.label, o.hint, error, required)}
<input type="${o.type ?? 'text'}" id="${fieldId(o.name)}" name="${o.name}" value="${form.values[o.name] ?? ''}"${required ? html` required` : ''}${o.maxLength ? html` maxlength="${o.maxLength}"` : ''}${o.min !== undefined ? html` min="${o.min}"` : ''}${o.max !== undefined ? html` max="${o.max}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${describedBy(o.name, o.hint, error) ? html` aria-describedby="${describedBy(o.name, o.hint, error)}"` : ''}${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

export function textArea(form: FormState, o: { name: string; label: string; hint?: string; required?: boolean; maxLength?: number; rows?: number }): Html {
  const error = errorFor(form, o.name);
  const required = o.required ?? true;
  return html`<div class="field${error ? ' has-error' : ''}">
${fieldHead(o.name, o.label, o.hint, error, required)}
<textarea id="${fieldId(o.name)}" name="${o.name}" rows="${o.rows ?? 4}"${required ? html` required` : ''}${o.maxLength ? html` maxlength="${o.maxLength}"` : ''}${describedBy(o.name, o.hint, error) ? html` aria-describedby="${describedBy(o.name, o.hint, error)}"` : ''}${error ? html` aria-invalid="true"` : ''}>${form.values[o.name] ?? ''}</textarea>
</div>`;
}

/** A fieldset of radio buttons; the first radio carries the field's id so the summary link lands on it. */
export function radioGroup(
  form: FormState,
  o: { name: string; legend: string; hint?: string; options: { value: string; label: string; hint?: string }[] },
): Html {
  const error = errorFor(form, o.name);
  const chosen = form.values[o.name];
  return html`<fieldset class="field${error ? ' has-error' : ''}"${describedBy(o.name, o.hint, error) ? html` aria-describedby="${describedBy(o.name, o.hint, error)}"` : ''}>
<legend>${o.legend}</legend>
${o.hint ? html`<p class="hint" id="${fieldId(o.name)}-hint">${o.hint}</p>` : ''}
${error ? html`<p class="field-error" id="${fieldId(o.name)}-error"><span class="visually-hidden">Error:</span> ${error.message}</p>` : ''}
${o.options.map((opt, i) => {
  const id = i === 0 ? fieldId(o.name) : `${fieldId(o.name)}-${i}`;
  return html`<div class="choice"><input type="radio" id="${id}" name="${o.name}" value="${opt.value}"${chosen === opt.value ? html` checked` : ''}> <label for="${id}">${opt.label}${opt.hint ? html` <span class="hint">${opt.hint}</span>` : ''}</label></div>`;
})}
</fieldset>`;
}

/** The list of problems at the top of a form, focused on load so a screen reader hears it first. */
export function errorSummary(form: FormState): Html {
  if (form.errors.length === 0) return html``;
  return html`<div class="notice error" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" autofocus>
<h2 id="error-summary-title">There ${form.errors.length === 1 ? 'is a problem' : `are ${form.errors.length} problems`}</h2>
<ul>${form.errors.map((e) => html`<li><a href="#${fieldId(e.field)}">${e.message}</a></li>`)}</ul>
</div>`;
}

export function notice(form: FormState): Html {
  if (!form.notice) return html``;
  const n = form.notice;
  return html`<div class="notice ${n.tone}" role="${n.tone === 'error' ? 'alert' : 'status'}"><p><strong>${n.title}</strong></p><p>${n.text}</p></div>`;
}

/** Required text: trimmed, non-empty, within a length. Pushes an error naming the field. */
export function requireText(
  body: Record<string, string>,
  errors: FieldError[],
  name: string,
  label: string,
  maxLength: number,
  required = true,
): string | null {
  const value = (body[name] ?? '').trim();
  if (value === '') {
    if (required) errors.push({ field: name, message: `Enter ${label}.` });
    return null;
  }
  if (value.length > maxLength) {
    errors.push({ field: name, message: `${label[0]!.toUpperCase()}${label.slice(1)} must be ${maxLength} characters or fewer (it is ${value.length}).` });
    return null;
  }
  return value;
}

export const FORM_STYLES = `
.field .hint, fieldset > .hint { margin:.15rem 0 .4rem; }
.field-error { color:var(--bad); font-weight:600; margin:.25rem 0; }
#error-summary:focus { outline:3px solid #f2a900; outline-offset:2px; }
.has-error input, .has-error textarea, .has-error select { border:2px solid var(--bad); }
fieldset.has-error { border-left:4px solid var(--bad); }
.choice { display:flex; gap:.5rem; align-items:baseline; margin:.4rem 0; }
.choice label { display:inline; margin:0; font-weight:400; }
.actions { display:flex; gap:1rem; flex-wrap:wrap; align-items:center; }
dl.summary { display:grid; grid-template-columns:minmax(10rem,auto) 1fr; gap:.4rem 1rem; }
dl.summary dt { font-weight:600; } dl.summary dd { margin:0; white-space:pre-wrap; }
.prewrap, blockquote p { white-space:pre-wrap; }
main { overflow-wrap:anywhere; }
@media (max-width: 32rem) { dl.summary { grid-template-columns:minmax(0,1fr); } dl.summary dd { margin-bottom:.5rem; } }
`;
