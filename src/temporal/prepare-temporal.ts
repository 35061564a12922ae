/**
 * What a Temporal cluster needs before Tandem runs on it, checked and (where we may) made:
 * the namespace, Tandem's search attributes, the fall rollover schedule. `tandem setup-temporal`
 * and `npm start` against an existing server make what is missing; the worker only checks, and
 * refuses to start with a line that says what is missing and how to add it (otherwise every
 * cycle would fail its workflow tasks with BAD_SEARCH_ATTRIBUTES).
 */
import type { Client } from '@temporalio/client';
import { msNumberToTs } from '@temporalio/common/lib/time.js';
import type { NativeConnection } from '@temporalio/worker';
import type { Policy } from '../domain/policy.ts';
import { registerSearchAttributes } from './register-search-attributes.ts';
import { ensureRolloverSchedule } from './rollover-schedule.ts';
import { TANDEM_SEARCH_ATTRIBUTES } from './search-attributes.ts';

export class TemporalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalSetupError';
  }
}

type OperatorService = Client['connection']['operatorService'];
type WorkflowService = Client['connection']['workflowService'];

// gRPC status codes (both the client's and the worker's native connection report them as `code`).
const grpcStatus = { NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, UNIMPLEMENTED: 12, UNAUTHENTICATED: 16 } as const;

function grpcCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool' };

/** The one command that adds what is missing, for an operator without `tandem setup-temporal` at hand. */
export function searchAttributeCommand(namespace: string, missing: string[]): string {
  const names = TANDEM_SEARCH_ATTRIBUTES.filter((a) => missing.includes(a.name));
  return `temporal operator search-attribute create --namespace ${namespace} ${names.map((a) => `--name ${a.name} --type ${CLI_TYPE[a.type]}`).join(' ')}`;
}

export async function missingSearchAttributes(operator: OperatorService, namespace: string): Promise<string[]> {
  const existing = await operator.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  return TANDEM_SEARCH_ATTRIBUTES.filter((a) => !known.has(a.name)).map((a) => a.name);
}

/** The worker's check: throws TemporalSetupError naming what is missing and how to add it. */
export async function assertTemporalReady(connection: NativeConnection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if (grpcCode(error) === grpcStatus.NOT_FOUND)
      throw new TemporalSetupError(
        `Temporal namespace "${namespace}" does not exist; create it with: tandem setup-temporal (or: temporal operator namespace create --namespace ${namespace} --retention 30d)`,
      );
    throw error;
  }
  let missing: string[];
  try {
    missing = await missingSearchAttributes(connection.operatorService, namespace);
  } catch (error) {
    // Temporal Cloud has no operator service for API keys: its namespaces are set up in its console.
    if (grpcCode(error) === grpcStatus.PERMISSION_DENIED || grpcCode(error) === grpcStatus.UNAUTHENTICATED || grpcCode(error) === grpcStatus.UNIMPLEMENTED)
      return;
    throw error;
  }
  if (missing.length > 0) {
    throw new TemporalSetupError(
      `Temporal namespace "${namespace}" lacks Tandem's search attributes ${missing.join(', ')}; add them with: tandem setup-temporal (or: ${searchAttributeCommand(namespace, missing)})`,
    );
  }
}

async function namespaceExists(service: WorkflowService, namespace: string): Promise<boolean> {
  try {
    await service.describeNamespace({ namespace });
    return true;
  } catch (error) {
    if (grpcCode(error) === grpcStatus.NOT_FOUND) return false;
    throw error;
  }
}

/** Creates the namespace when missing; false when it was there. A server that refuses gets a one-line how-to. */
export async function ensureNamespace(client: Client, namespace: string, retentionDays: number): Promise<boolean> {
  const service = client.connection.workflowService;
  if (await namespaceExists(service, namespace)) return false;
  try {
    await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msNumberToTs(retentionDays * 86_400_000) });
  } catch (error) {
    if (grpcCode(error) === grpcStatus.ALREADY_EXISTS) return false;
    throw new TemporalSetupError(
      `Temporal namespace "${namespace}" does not exist and this server would not create it (${(error as Error).message.split('\n')[0]}); create it with: temporal operator namespace create --namespace ${namespace} --retention ${retentionDays}d`,
    );
  }
  // A new namespace reaches every frontend service within seconds (their caches refresh); wait
  // until the operator service, which registers the search attributes next, knows it too.
  for (let i = 0; i < 120; i++) {
    try {
      await client.connection.operatorService.listSearchAttributes({ namespace });
      break;
    } catch (error) {
      if (grpcCode(error) !== grpcStatus.NOT_FOUND) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return true;
}

/** Everything Tandem needs on the cluster, made where missing; returns what it did, one line each. `client` is on `namespace`. */
export async function prepareTemporal(
  client: Client,
  options: { namespace: string; retentionDays: number; policy: Policy; taskQueue: string },
): Promise<string[]> {
  const lines: string[] = [];
  const created = await ensureNamespace(client, options.namespace, options.retentionDays);
  lines.push(created ? `Created namespace "${options.namespace}" (retention ${options.retentionDays} days).` : `Namespace "${options.namespace}" exists.`);
  const added = await registerSearchAttributes(client, options.namespace);
  lines.push(added.length ? `Registered search attributes: ${added.join(', ')}` : 'Search attributes already registered.');
  const createdSchedule = await ensureRolloverSchedule(client, { policy: options.policy, taskQueue: options.taskQueue });
  lines.push(createdSchedule ? 'Created the fall rollover schedule.' : 'Updated the fall rollover schedule.');
  return lines;
}
