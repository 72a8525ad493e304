/**
 * Work a turn starts but does not wait for (posting a request's triage card to the help desk channel): the user's
 * answer does not queue behind another conversation's HTTP call. Failures are logged; a stop waits for what runs.
 */
import type { Logger } from './logging/logger.js';

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Starts `fn` now; the caller goes on without waiting for it. */
  run(task: string, fn: () => Promise<void>): void {
    const p: Promise<void> = fn()
      .catch((err: unknown) => this.log.error({ err, task }, 'background task failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when nothing runs (including tasks started by tasks). */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
