/**
 * Structured logs (pino). Log ids and states only: never names, emails, or anything a
 * person typed, because logs are read by operators who must not see mentee content.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'tandem'): Logger {
  return pino({ name, level });
}
