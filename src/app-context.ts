/**
 * The long-lived parts every Tandem process needs, opened once from configuration:
 * database, mailer, policy, logger. Close it to release connections.
 */
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import { createDb, ensureDatabaseExists } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import type { TandemConfig } from './config/env.ts';
import { loadPolicyFile } from './config/policy-file.ts';
import { sealPlaintextHelpRequests } from './stores/participant-content-store.ts';
import { dataKeyFrom } from './security/data-encryption.ts';
import type { Policy } from './domain/policy.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMailTransport } from './mail/transport.ts';

export interface AppContext {
  config: TandemConfig;
  db: Kysely<Database>;
  mailer: Transporter;
  policy: Policy;
  logger: Logger;
  close(): Promise<void>;
}

export async function openAppContext(config: TandemConfig, { migrate = true } = {}): Promise<AppContext> {
  const logger = createLogger(config.logLevel);
  const policy = loadPolicyFile(config.policyFile);
  await ensureDatabaseExists(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  if (migrate) {
    const results = await migrateToLatest(db);
    for (const r of results) logger.info({ migration: r.migrationName, status: r.status }, 'migration');
    // A migration has no data key; help requests stored in plaintext before 0008 are sealed here.
    const sealed = await sealPlaintextHelpRequests(db, dataKeyFrom(config));
    if (sealed > 0) logger.info({ sealed }, 'sealed help requests stored before encryption');
  }
  const mailer = createMailTransport(config.smtpUrl, { ratePerSecond: config.smtp.ratePerSecond, maxConnections: config.smtp.maxConnections, shared: { db } });
  return {
    config,
    db,
    mailer,
    policy,
    logger,
    async close() {
      mailer.close();
      await db.destroy();
    },
  };
}
