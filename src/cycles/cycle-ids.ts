/**
 * A cycle's workflow id, for callers outside the workflow. The rule itself lives in
 * src/domain/ids.ts so that workflow code (which may not import this client side) shares it.
 */
export { cycleWorkflowId } from '../domain/ids.ts';
