/** One size limit for every way a roster arrives: the page, the API and the CLI. */
export const MAX_ROSTER_BYTES = 20 * 1024 * 1024;

export const rosterTooLargeReason = (bytes: number) =>
  `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${MAX_ROSTER_BYTES / 1024 / 1024} MB limit; split the roster (one file per program, say) and import each`;
