/** The raw baselines' activities: plain pooled nodemailer (as bench/burst.ts's raw sender), and nothing. */
import type { Transporter } from 'nodemailer';
import { plainMessage } from './plain-message.ts';

export function createBaselineActivities(mailer: Transporter) {
  return {
    async sendTwoMessages(pair: number): Promise<void> {
      await Promise.all([mailer.sendMail(plainMessage(`mentor.${pair}@bench.example`)), mailer.sendMail(plainMessage(`mentee.${pair}@bench.example`))]);
    },
    async noop(): Promise<void> {},
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
