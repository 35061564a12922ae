/**
 * Tandem's own metrics, read from Postgres when Prometheus scrapes: they describe the whole
 * department (every process reports the same numbers; dashboards and alerts take max()).
 * Read at scrape time rather than counted in memory, so they are right after any restart
 * and the same from every worker and web process.
 */
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../db/schema.ts';
import {
  countCyclesByStepAndStatus,
  countLadderRungs,
  countPairsByStatus,
  countSentByKind,
  countStalledCyclesByStep,
  countUnsentOutboxByStatus,
  oldestWaitingOutboxAgeSeconds,
} from '../stores/metrics-store.ts';

export function registerTandemMetrics(registry: Registry, db: Kysely<Database>): void {
  new Gauge({
    name: 'tandem_cycles',
    help: 'Cycles of the open academic years by current stage (step) and status (running, paused, stalled, completed, ended).',
    labelNames: ['stage', 'status'],
    registers: [registry],
    async collect() {
      const rows = await countCyclesByStepAndStatus(db);
      this.reset();
      for (const r of rows) this.set({ stage: r.step ?? 'none', status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'tandem_cycles_stalled',
    help: 'Open cycles with a stalled step (the ladder reached its stall rung), by stage.',
    labelNames: ['stage'],
    registers: [registry],
    async collect() {
      const rows = await countStalledCyclesByStep(db);
      this.reset();
      for (const r of rows) this.set({ stage: r.step ?? 'none' }, r.n);
    },
  });
  new Gauge({
    name: 'tandem_outbox_messages',
    help: 'Outbox rows by status: pending and sending wait for the relay; failed were refused permanently.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await countUnsentOutboxByStatus(db);
      this.reset();
      for (const status of ['pending', 'sending', 'failed']) this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'tandem_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest message not yet handed to the relay (pending or sending); 0 when none waits.',
    registers: [registry],
    async collect() {
      this.set(await oldestWaitingOutboxAgeSeconds(db));
    },
  });
  new Gauge({
    name: 'tandem_messages_sent',
    help: 'Messages the relay accepted, by kind (counted in the outbox, so it only rises).',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const rows = await countSentByKind(db);
      this.reset();
      for (const r of rows) this.set({ kind: r.kind }, r.n);
    },
  });
  new Gauge({
    name: 'tandem_escalations',
    help: 'Escalation ladder rungs fired, by rung (remind-owner, remind-both, notify-coordinator, refer).',
    labelNames: ['rung'],
    registers: [registry],
    async collect() {
      const rows = await countLadderRungs(db);
      this.reset();
      for (const r of rows) this.set({ rung: r.rung ?? 'unknown' }, r.n);
    },
  });
  new Gauge({
    name: 'tandem_pairs',
    help: 'Enrolled mentor–mentee pairs by status; rises with each roster import or single enrollment.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await countPairsByStatus(db);
      this.reset();
      for (const r of rows) this.set({ status: r.status }, r.n);
    },
  });
}
