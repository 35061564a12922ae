/**
 * Progress of a long fan-out: a redrawn bar with rate and ETA on a terminal, plain lines
 * every few seconds elsewhere (CI logs, pipes), so neither floods its reader.
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const started = now();
  const tty = Boolean(stream.isTTY);
  let lastDrawn = 0;
  let last = { done: 0, total: 0 };
  const line = (done: number, total: number) => {
    const elapsed = Math.max((now() - started) / 1000, 0.001);
    const rate = done / elapsed;
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const percent = total ? Math.floor((done / total) * 100) : 100;
    return { rate, eta, percent, text: `${done}/${total} ${percent}% ${rate.toFixed(0)}/s ETA ${seconds(eta)}` };
  };
  return {
    update(done, total) {
      last = { done, total };
      const t = now();
      if (tty) {
        if (t - lastDrawn < 100 && done < total) return;
        lastDrawn = t;
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 40));
        const filled = total ? Math.round((done / total) * width) : width;
        stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${line(done, total).text}\x1b[K`);
      } else if (t - lastDrawn >= 2_000 || done === total) {
        lastDrawn = t;
        stream.write(`${label}: ${line(done, total).text}\n`);
      }
    },
    finish() {
      if (tty && last.total > 0) stream.write(`\r${label}: ${last.done}/${last.total} in ${seconds((now() - started) / 1000)}\x1b[K\n`);
    },
  };
}
