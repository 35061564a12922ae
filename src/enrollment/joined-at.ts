/**
 * The workflow input's `joinedAt`, from a cycle row: the real enrollment instant, given only
 * when the pair joined after its plan's start (a pair enrolled on time, or ahead of a future
 * start, runs exactly as before).
 */
export function joinedAtInput(cycle: { enrolled_at: Date; joined_at: Date | null }): { joinedAt?: string } {
  return cycle.joined_at && cycle.joined_at > cycle.enrolled_at ? { joinedAt: cycle.joined_at.toISOString() } : {};
}
