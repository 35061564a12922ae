/**
 * What a visitor sees when something fails on our side (a database error, a bug): a generic
 * message and the request id to quote, never the error's own text (a Postgres message names
 * tables, columns and values). The error itself goes to the log under the same request id.
 */
import { html, type Html } from './html.ts';

/** The body of a 500 page; each area wraps it in its own layout. */
export function serverErrorBody(requestId: string, advice: string): Html {
  return html`<h1>Something went wrong</h1>
<div class="notice error" role="alert"><p>Something went wrong on our side. ${advice}</p>
<p>If it keeps happening, quote this reference: <code id="request-id">${requestId}</code></p></div>`;
}
