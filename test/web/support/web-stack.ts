/**
 * A describe block's own test stack (Temporal worker, Postgres database, SMTP sink) and the
 * web app over it: started before the block's tests, closed after them. Tests read `stack`
 * and `web` from the returned handle, which exist once the block has started.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { buildTestWeb } from '../dashboard-support.ts';

export interface WebStack {
  readonly stack: TestStack;
  readonly web: FastifyInstance;
}

export function useWebStack(options: Parameters<typeof startTestStack>[0] = {}): WebStack {
  let stack: TestStack | undefined;
  let web: FastifyInstance | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
    web = await buildTestWeb(stack);
  });
  afterAll(async () => {
    await web?.close();
    await stack?.close();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is not started: read it inside a test or hook`);
    return value;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get web() {
      return started(web, 'web');
    },
  };
}
