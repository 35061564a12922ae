/**
 * The statements a piece of code sends to Postgres, for tests of how many round trips it
 * takes: a view of the database that writes down each query's operation node as it goes.
 */
import type { Kysely, OperationNode, RawNode } from 'kysely';

export interface StatementLog<DB> {
  db: Kysely<DB>;
  /** Each statement sent through `db`, in order. */
  nodes: OperationNode[];
  /** A short name per statement: a raw statement's first three words ("insert into outbox"), else the node as JSON. */
  names(): string[];
}

export function loggingStatements<DB>(db: Kysely<DB>): StatementLog<DB> {
  const nodes: OperationNode[] = [];
  return {
    db: db.withPlugin({
      transformQuery: ({ node }) => {
        nodes.push(node);
        return node;
      },
      transformResult: async ({ result }) => result,
    }),
    nodes,
    names: () =>
      nodes.map((node) =>
        node.kind === 'RawNode' ? (node as RawNode).sqlFragments.join('?').trim().split(/\s+/).slice(0, 3).join(' ') : JSON.stringify(node),
      ),
  };
}
