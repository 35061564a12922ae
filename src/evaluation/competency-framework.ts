/**
 * The competency framework that structures two-way feedback: groups of competencies, each
 * with items about the mentor (rated by the mentee, confidential, aggregated for evaluation)
 * and items about the mentee (rated by the mentor, formative, shown to the mentee).
 *
 * Pure data and validation. The department's policy may replace the default
 * (`competencyFramework` in the policy file, inline or as a path to a JSON file).
 */

export interface FrameworkItem {
  /** Stable id: ratings are stored by it, so rewording an item keeps its history. */
  id: string;
  /** The statement rated from "not at all" to "extremely". */
  text: string;
}

export interface Competency {
  id: string;
  name: string;
  /** About the mentor; answered by the mentee. */
  mentorItems: FrameworkItem[];
  /** About the mentee; answered by the mentor. */
  menteeItems: FrameworkItem[];
}

export interface CompetencyGroup {
  id: string;
  name: string;
  competencies: Competency[];
}

export interface CompetencyFramework {
  /** Versioned id, stored with each feedback ("tandem-2026"): answers are read against the framework they were given under. */
  id: string;
  name: string;
  groups: CompetencyGroup[];
}

export type FeedbackSide = 'mentor' | 'mentee';

/** The items a participant rates: a mentee rates the mentor's items, a mentor the mentee's. */
export function itemsRatedBy(
  framework: CompetencyFramework,
  author: FeedbackSide,
): { group: CompetencyGroup; competency: Competency; items: FrameworkItem[] }[] {
  return framework.groups.flatMap((group) =>
    group.competencies.map((competency) => ({ group, competency, items: author === 'mentee' ? competency.mentorItems : competency.menteeItems })),
  );
}

export function allCompetencies(framework: CompetencyFramework): Competency[] {
  return framework.groups.flatMap((g) => g.competencies);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Problems with a framework, each by its path under `prefix`; empty when it is usable.
 * Ids must be unique across the whole framework, so a stored rating names one item.
 */
export function frameworkProblems(raw: unknown, prefix = 'competencyFramework'): string[] {
  const problems: string[] = [];
  if (!isRecord(raw)) return [`${prefix}: must be an object with id, name and groups`];
  const seen = new Set<string>();
  const id = (path: string, v: unknown) => {
    if (typeof v !== 'string' || !ID.test(v)) return void problems.push(`${path}: must be lower-case letters, digits and dashes (got ${JSON.stringify(v)})`);
    if (seen.has(v)) problems.push(`${path}: "${v}" is used twice`);
    seen.add(v);
  };
  const text = (path: string, v: unknown) => {
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${path}: must be a non-empty string`);
    else if (v.length > 500) problems.push(`${path}: must be at most 500 characters`);
  };
  const list = (path: string, v: unknown, each: (path: string, item: Record<string, unknown>) => void) => {
    if (!Array.isArray(v) || v.length === 0) return void problems.push(`${path}: must be a non-empty list`);
    v.forEach((item, i) => (isRecord(item) ? each(`${path}[${i}]`, item) : problems.push(`${path}[${i}]: must be an object`)));
  };
  const items = (path: string, v: unknown) =>
    list(path, v, (p, item) => {
      id(`${p}.id`, item.id);
      text(`${p}.text`, item.text);
    });
  if (typeof raw.id !== 'string' || !ID.test(raw.id))
    problems.push(`${prefix}.id: must be lower-case letters, digits and dashes (got ${JSON.stringify(raw.id)})`);
  text(`${prefix}.name`, raw.name);
  list(`${prefix}.groups`, raw.groups, (gp, group) => {
    id(`${gp}.id`, group.id);
    text(`${gp}.name`, group.name);
    list(`${gp}.competencies`, group.competencies, (cp, competency) => {
      id(`${cp}.id`, competency.id);
      text(`${cp}.name`, competency.name);
      items(`${cp}.mentorItems`, competency.mentorItems);
      items(`${cp}.menteeItems`, competency.menteeItems);
    });
  });
  return problems;
}
