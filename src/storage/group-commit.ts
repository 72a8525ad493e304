/**
 * Group commit for one writer: what is queued during one turn of the event loop is written together at its end
 * (setImmediate), by one run of `write`; whatever was queued while it ran gets the next run. The writers'
 * continuations then run in that same turn of the loop (no thread-pool round trip: see appender.ts).
 */
export class GroupCommit {
  private running: Promise<void> | undefined;
  private scheduled = false;

  /** `write` drains the queue; `queued` says whether anything waits. */
  constructor(private readonly write: () => Promise<void>, private readonly queued: () => boolean) {}

  /** Something was queued: make sure a run comes. */
  kick(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.write().finally(() => {
        this.running = undefined;
        if (this.queued()) this.kick(); // queued after the run's last look
      });
    });
  }

  /** Resolves when nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.running || this.scheduled) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
