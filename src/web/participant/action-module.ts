/**
 * The contract every participant action page implements. GET /a/:token and POST /a/:token
 * (routes.ts) verify the link, load who is acting on which cycle (ActionContext), then hand
 * over to the module registered for the token's `act` (registry.ts). One module per action,
 * in ./actions/<act>.ts.
 *
 * What the dispatcher does, so a module need not:
 * - verifies the token (malformed 400, forged 403, expired 410) and that `sub` is the mentor
 *   or mentee of `cyc` (403), and that the module's `roles` include theirs (403);
 * - refuses a used single-use link (409, with the module's `describeUse`) before any form;
 * - refuses cross-site POSTs, sets no-store/no-referrer headers, validates the body against
 *   the union of every module's `fields` (JSON schema: a value too long or outside its enum
 *   is a 400 page; unknown fields are dropped);
 * - on `submit` → `done`: records the link as used (when `singleUse`) with `outcome`, and
 *   shows `message`;
 *   on `invalid` (422), `rejected` (409: the workflow's reason) or `unknown` (202: not confirmed yet):
 *   calls `render` again with what the person typed, the field errors and a notice, so
 *   nothing is lost.
 *
 * A module:
 * - `render(ctx, form)`: the page body (form or read-only view) for GET and re-renders;
 *   every value through `html```, labels on every field, the form posting to `ctx.formAction`.
 * - `submit(ctx, body)`: validates (field errors name the field's `name`), saves what the
 *   person typed to Postgres, then sends the Update with ids only (see run-update.ts:
 *   `saveThenUpdate`). Never puts typed text into an Update.
 * - `describeUse(ctx, use)`: what a second click on a used link says ("You acknowledged …
 *   on …"); `usedView` may add a read-only view below it (reading never needs a fresh link).
 * Read-only actions set `singleUse: false` and may omit a form; their link is never burned.
 * Also: the dispatcher shows a 410 "year closed" page for single-use links of a completed or
 * ended cycle unless `afterYearEnds`; `render` runs again after a failed submit, so it must
 * start from `form.values` when `form.errors` or `form.notice` is set (not from saved rows).
 *
 * Adding an action: write ./actions/<act>.ts and list it in registry.ts (give-feedback and
 * read-feedback are examples from another area). Tests: test/web/support/participant-web.ts
 * takes links out of the mail the SMTP sink received.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Action, ActionClaims } from '../../security/action-tokens.ts';
import type { DataKey } from '../../security/data-encryption.ts';
import type { Html } from '../html.ts';
import type { UsedLink } from '../../stores/link-store.ts';

export type ParticipantRole = 'mentor' | 'mentee';

export interface ActingPerson {
  id: string;
  role: ParticipantRole;
  /** Preferred name, else full name: how the page addresses them. */
  name: string;
  fullName: string;
  email: string;
  pronouns: string | null;
  /** Times on their pages are shown in this zone. */
  timeZone: string;
}

export interface ActionContext {
  claims: ActionClaims;
  /** Where this page's forms post: the token itself, a URL relative to the page (`/a/<token>`). */
  formAction: string;
  person: ActingPerson;
  /** The other member of the pair. */
  partner: ActingPerson;
  cycle: { id: string; workflowId: string; academicYear: number; status: string; pairId: string };
  db: Kysely<Database>;
  policy: Policy;
  /** Signs fresh links a page may offer (config.secret). */
  secret: string;
  temporal: () => Promise<Client>;
  /** For messages the web app sends itself (help requests); absent when the host has no mailer. */
  mail?: { mailer: Transporter; mailFrom: string };
  /** Seals and opens confidential content (feedback) at rest. */
  dataKey: DataKey;
  /** How the person reaches a human for a fresh link: the department's coordinators. */
  coordinators: { name: string; email: string }[];
  now: Date;
}

export interface FieldError {
  /** The form field's `name` (and the input's id, `field-<name>`). */
  field: string;
  message: string;
}

export interface FormState {
  /** What the person typed (or the saved values a form starts from). */
  values: Record<string, string>;
  errors: FieldError[];
  /** A message above the form: the workflow's rejection reason, "saved but not applied", … */
  notice?: { tone: 'error' | 'info' | 'success'; title: string; text: string };
}

export type Submission =
  /** Done: the link is recorded as used with `outcome` (when single-use); `message` is the page. */
  | { status: 'done'; outcome: string; message: Html }
  /** The input is wrong: named fields and reasons; nothing was saved or sent. */
  | { status: 'invalid'; errors: FieldError[] }
  /** The workflow refused the Update (its validator's reason); what was saved for it was undone. */
  | { status: 'rejected'; reason: string }
  /** No answer in time and none found by the Update's id: it may still apply; the same link again cannot apply twice. */
  | { status: 'unknown'; reason: string };

/** JSON schema of one form field: always a string (HTML forms send strings). */
export interface FieldSchema {
  type: 'string';
  maxLength: number;
  enum?: string[];
}

export interface ActionModule {
  act: Action;
  /** Who may open it; another participant's role gets a 403 page. */
  roles: readonly ParticipantRole[];
  /** State-changing: burned on success. Read-only pages (false) keep working until expiry. */
  singleUse: boolean;
  /** The form fields this page posts; merged into the route's body schema. */
  fields: Record<string, FieldSchema>;
  /** Keeps working after the year closed or the pair ended (help requests); others get a 410 page then. */
  afterYearEnds?: boolean;
  /** Fields named by a pattern (JSON schema patternProperties), for forms whose fields come from policy data. */
  fieldPatterns?: Record<string, FieldSchema>;
  /** HTTP status of the GET page when not 200 (a placeholder answers 501). */
  pageStatus?: number;
  /** The page's <title> and <h1>. */
  title(ctx: ActionContext): string;
  render(ctx: ActionContext, form: FormState): Promise<Html>;
  submit(ctx: ActionContext, body: Record<string, string>): Promise<Submission>;
  describeUse(ctx: ActionContext, use: UsedLink): Html;
  /** Optional read-only view shown under a used link's notice (what was agreed, what was sent). */
  usedView?(ctx: ActionContext, use: UsedLink): Promise<Html>;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: [] });
