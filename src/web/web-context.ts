/**
 * What the web app needs from the process that hosts it. The Temporal client is opened on
 * first use, so pages that only read Postgres work while Temporal is away.
 */
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import type { AppContext } from '../app-context.ts';

export type WebContext = Pick<AppContext, 'db' | 'policy' | 'config'> &
  Partial<Pick<AppContext, 'logger' | 'mailer'>> & {
    /** A Temporal client for Updates and Queries; when absent one is connected from config. */
    temporal?: () => Promise<Client>;
    /** Where request metrics go (the process's /metrics, src/metrics/metrics-server.ts); absent: none kept. */
    metrics?: Registry;
  };
