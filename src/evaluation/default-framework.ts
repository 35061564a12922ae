/**
 * The default competency framework: the nine competencies of the department's mentoring
 * guidelines in their three groups. The items are our own wording of the duties the
 * guidelines list for mentors and mentees; each is rated 1 ("not at all") to 7 ("extremely").
 */
import type { CompetencyFramework } from './competency-framework.ts';

export const DEFAULT_FRAMEWORK: CompetencyFramework = {
  id: 'tandem-default-v1',
  name: 'Mentoring competencies (department guidelines)',
  groups: [
    {
      id: 'communication-feedback',
      name: 'Communication & Feedback',
      competencies: [
        {
          id: 'setting-expectations',
          name: 'Setting expectations',
          mentorItems: [
            { id: 'mentor-expectations-clear', text: 'My mentor made clear, in writing, what they expect of me and what they commit to themselves.' },
            { id: 'mentor-expectations-discussed', text: 'My mentor invited my questions about those expectations and revisited them when needed.' },
          ],
          menteeItems: [{ id: 'mentee-expectations-raised', text: 'My mentee compared my expectations with their own and raised differences in good time.' }],
        },
        {
          id: 'communication-standards',
          name: 'Communication standards',
          mentorItems: [
            { id: 'mentor-communication-honest', text: 'My mentor communicated directly, honestly and respectfully, including in difficult conversations.' },
            { id: 'mentor-meetings-kept', text: 'My mentor kept to the meeting frequency and response times we agreed, and arranged cover during absences.' },
          ],
          menteeItems: [
            { id: 'mentee-communication-honest', text: 'My mentee communicated directly, honestly and respectfully, including about problems.' },
            { id: 'mentee-schedule-shared', text: 'My mentee kept me informed of their schedule and constraints and answered within our agreed norms.' },
          ],
        },
        {
          id: 'constructive-feedback',
          name: 'Constructive assessment and feedback',
          mentorItems: [
            { id: 'mentor-feedback-actionable', text: 'My mentor gave me specific, actionable feedback that balanced affirmation and critique.' },
            { id: 'mentor-feedback-invited', text: 'My mentor asked for my feedback on their mentoring and acted on it.' },
          ],
          menteeItems: [{ id: 'mentee-feedback-open', text: 'My mentee was open to feedback and told me which kinds of feedback help them.' }],
        },
      ],
    },
    {
      id: 'professional-growth',
      name: 'Professional Growth & Training',
      competencies: [
        {
          id: 'training-goals',
          name: 'Setting training goals',
          mentorItems: [
            { id: 'mentor-goals-discussed', text: 'My mentor discussed my training goals and priorities with me and revisited them during the year.' },
          ],
          menteeItems: [{ id: 'mentee-goals-articulated', text: 'My mentee articulated their training and career goals and told me when they changed.' }],
        },
        {
          id: 'learning-growth',
          name: 'Enabling trainee learning and growth',
          mentorItems: [
            {
              id: 'mentor-research-growth',
              text: 'My mentor supported my growth in experimental design, troubleshooting, responsible conduct and the literature.',
            },
            { id: 'mentor-communication-skills', text: 'My mentor helped me develop my scientific writing and presentation skills.' },
            { id: 'mentor-limits-resources', text: 'My mentor was open about what they can offer and connected me with other sources of support.' },
          ],
          menteeItems: [
            { id: 'mentee-self-assessment', text: 'My mentee assessed their own needs and advocated constructively for their training.' },
            { id: 'mentee-ownership', text: 'My mentee took shared responsibility for the intellectual direction of their project.' },
          ],
        },
        {
          id: 'career-development',
          name: 'Supporting professional development and career goals',
          mentorItems: [{ id: 'mentor-career-support', text: 'My mentor supported my career development plan and the career directions I am considering.' }],
          menteeItems: [{ id: 'mentee-career-proactive', text: 'My mentee took an active part in their own professional development.' }],
        },
      ],
    },
    {
      id: 'training-environment',
      name: 'Training Environment',
      competencies: [
        {
          id: 'positive-culture',
          name: 'Establishing a positive training culture',
          mentorItems: [
            {
              id: 'mentor-inclusive-environment',
              text: 'My mentor maintained an inclusive environment, free of harassment and bullying, where ideas can be voiced freely.',
            },
            { id: 'mentor-conflict-framework', text: 'My mentor addressed lab conflicts fairly and constructively.' },
          ],
          menteeItems: [{ id: 'mentee-inclusive-contribution', text: 'My mentee contributed to a respectful, supportive and inclusive lab environment.' }],
        },
        {
          id: 'equitable-policies',
          name: 'Instituting equitable group policies',
          mentorItems: [{ id: 'mentor-equitable-norms', text: 'My mentor applied the group’s norms and standards equitably to everyone.' }],
          menteeItems: [{ id: 'mentee-lab-citizen', text: 'My mentee was a good lab citizen.' }],
        },
        {
          id: 'respecting-individuals',
          name: 'Respecting trainees as individuals',
          mentorItems: [
            { id: 'mentor-wellbeing', text: 'My mentor valued my health and well-being and was flexible when I had personal matters to attend to.' },
            { id: 'mentor-name-pronouns', text: 'My mentor used the name and pronouns I asked them to use.' },
          ],
          menteeItems: [
            { id: 'mentee-constraints-shared', text: 'My mentee let me know, as far as they wished to, when personal matters affected their work.' },
          ],
        },
      ],
    },
  ],
};
