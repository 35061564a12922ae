/** Identifiers derived from business keys, so that repeating an action repeats nothing. */

/** One workflow per pair and academic year: enrolling the same pair twice starts nothing new. */
export function cycleWorkflowId(pairId: string, academicYear: number): string {
  return `mentoring-cycle-${pairId}-${academicYear}`;
}
