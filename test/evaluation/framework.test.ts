/** The competency framework as data, its place in the policy, and the feedback form. Pure. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/config/policy-file.ts';
import { frameworkOf, parsePolicy, PolicyError } from '../../src/domain/policy.ts';
import { allCompetencies, frameworkProblems } from '../../src/evaluation/competency-framework.ts';
import { DEFAULT_FRAMEWORK } from '../../src/evaluation/default-framework.ts';
import { formativePart, parseFeedbackForm, ratingField } from '../../src/evaluation/feedback-content.ts';
import { parseRating, RATING_CHOICES, ratingLabel } from '../../src/evaluation/rating-scale.ts';
import defaultPolicy from '../../policy/default.json' with { type: 'json' };

describe('the default competency framework', () => {
  it('holds the nine competencies of the guidelines in three groups, each with items for both sides', () => {
    expect(frameworkProblems(DEFAULT_FRAMEWORK)).toEqual([]);
    expect(DEFAULT_FRAMEWORK.groups.map((g) => g.name)).toEqual(['Communication & Feedback', 'Professional Growth & Training', 'Training Environment']);
    expect(allCompetencies(DEFAULT_FRAMEWORK).map((c) => c.name)).toEqual([
      'Setting expectations',
      'Communication standards',
      'Constructive assessment and feedback',
      'Setting training goals',
      'Enabling trainee learning and growth',
      'Supporting professional development and career goals',
      'Establishing a positive training culture',
      'Instituting equitable group policies',
      'Respecting trainees as individuals',
    ]);
    for (const c of allCompetencies(DEFAULT_FRAMEWORK)) {
      expect(c.mentorItems.length, c.id).toBeGreaterThan(0);
      expect(c.menteeItems.length, c.id).toBeGreaterThan(0);
    }
  });

  it('rates 1 ("not at all") to 7 ("extremely"), plus not applicable', () => {
    expect(RATING_CHOICES.map(ratingLabel)).toEqual([
      '1 – not at all',
      '2 – slightly',
      '3 – somewhat',
      '4 – moderately',
      '5 – quite',
      '6 – very',
      '7 – extremely',
      'not applicable',
    ]);
    expect(['0', '8', '3.5', '', 'x', null].map(parseRating)).toEqual([null, null, null, null, null, null]);
    expect(['1', '7', 'na'].map(parseRating)).toEqual([1, 7, 'na']);
  });
});

describe('replacing the framework through the policy', () => {
  const small = {
    id: 'small-v1',
    name: 'Small',
    groups: [
      {
        id: 'g',
        name: 'G',
        competencies: [{ id: 'c', name: 'C', mentorItems: [{ id: 'm1', text: 'Mentor did it.' }], menteeItems: [{ id: 'e1', text: 'Mentee did it.' }] }],
      },
    ],
  };

  it('uses the built-in default when the policy names none, and the policy’s own when it does', () => {
    expect(frameworkOf(parsePolicy(defaultPolicy))).toBe(DEFAULT_FRAMEWORK);
    expect(frameworkOf(parsePolicy({ ...defaultPolicy, competencyFramework: small })).id).toBe('small-v1');
  });

  it('ships the default as policy/competencies.json, for a department to copy and edit', () => {
    expect(JSON.parse(readFileSync('policy/competencies.json', 'utf8'))).toEqual(DEFAULT_FRAMEWORK);
  });

  it('reads a framework file named by the policy, relative to it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-framework-'));
    writeFileSync(path.join(dir, 'competencies.json'), JSON.stringify(small));
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ ...defaultPolicy, competencyFramework: 'competencies.json' }));
    expect(frameworkOf(loadPolicyFile(path.join(dir, 'policy.json'))).id).toBe('small-v1');
  });

  it('reports every problem of a bad framework by its path', () => {
    const bad = structuredClone(small) as any;
    bad.groups[0].competencies[0].mentorItems = [];
    bad.groups[0].competencies[0].menteeItems[0].id = 'c';
    bad.groups[0].name = '';
    const error = (() => {
      try {
        parsePolicy({ ...defaultPolicy, competencyFramework: bad });
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect(error!.problems).toEqual([
      'competencyFramework.groups[0].name: must be a non-empty string',
      'competencyFramework.groups[0].competencies[0].mentorItems: must be a non-empty list',
      'competencyFramework.groups[0].competencies[0].menteeItems[0].id: "c" is used twice',
    ]);
  });
});

describe('the feedback form', () => {
  const answerAll = (side: 'mentor' | 'mentee', value: string) =>
    Object.fromEntries(
      allCompetencies(DEFAULT_FRAMEWORK).flatMap((c) => (side === 'mentee' ? c.mentorItems : c.menteeItems).map((i) => [ratingField(i.id), value])),
    );

  it('names every unanswered item and overlong text, and accepts a complete form', () => {
    const form = { ...answerAll('mentee', '5'), [ratingField('mentor-wellbeing')]: '', whatHelped: 'x'.repeat(5001) };
    const parsed = parseFeedbackForm(DEFAULT_FRAMEWORK, 'mentee', form);
    expect(parsed).toEqual({
      ok: false,
      problems: [
        { field: 'rating.mentor-wellbeing', reason: 'choose a rating from 1 to 7, or "not applicable"' },
        { field: 'whatHelped', reason: 'must be at most 5000 characters (got 5001)' },
      ],
    });
    const ok = parseFeedbackForm(DEFAULT_FRAMEWORK, 'mentee', { ...answerAll('mentee', 'na'), whatHelped: ' The weekly check-ins. ' });
    expect(ok.ok && ok.content.whatHelped).toBe('The weekly check-ins.');
    expect(ok.ok && 'reflection' in ok.content).toBe(false);
  });

  it('shares a mentor’s ratings with the mentee but never a mentee’s ratings with the mentor, nor the mentor’s reflection', () => {
    const mentee = parseFeedbackForm(DEFAULT_FRAMEWORK, 'mentee', { ...answerAll('mentee', '2'), whatHelped: 'helped' });
    const mentor = parseFeedbackForm(DEFAULT_FRAMEWORK, 'mentor', { ...answerAll('mentor', '6'), reflection: 'I should listen more.' });
    if (!mentee.ok || !mentor.ok) throw new Error('forms should parse');
    expect(formativePart('mentee', mentee.content)).toEqual({ ratings: null, whatHelped: 'helped', couldChange: '' });
    expect(formativePart('mentor', mentor.content).ratings).toEqual(mentor.content.ratings);
    expect(JSON.stringify(formativePart('mentor', mentor.content))).not.toContain('listen more');
  });
});
