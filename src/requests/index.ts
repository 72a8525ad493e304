/** Support requests (issue 7): open a request, route it with the engine, triage it in the help desk channel. */
import type { AppDeps } from '../app-deps.js';
import { AGEING_INTERVAL_MS, runRequestAgeing } from './ageing.js';
import { ARCHIVE_INTERVAL_MS, runRequestArchive } from './archive.js';
import { registerChannel } from './channel.handler.js';
import { registerOpen } from './open.handler.js';
import { registerQueue } from './queue.handler.js';
import { runtimeFor } from './runtime.js';
import { registerTriage } from './triage.handler.js';
import { registerMine } from './mine.handler.js';

export { runRequestAgeing } from './ageing.js';
export { runRequestArchive } from './archive.js';

/**
 * Registers the request intents, verbs and help entries, and starts the ageing and archive timers (unref'd,
 * stopped with the app).
 */
export function registerRequests(deps: AppDeps): void {
  const rt = runtimeFor(deps);
  registerOpen(rt);
  registerChannel(rt);
  registerTriage(rt);
  registerQueue(rt);
  registerMine(rt);
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running = runRequestAgeing(deps, deps.now()).then(
      () => undefined,
      (err: unknown) => rt.log.warn({ err }, 'request ageing run failed'),
    );
  }, AGEING_INTERVAL_MS);
  timer.unref();
  let archiving: Promise<void> | undefined;
  const archiveTimer = setInterval(() => {
    archiving = runRequestArchive(deps, deps.now()).then(
      () => undefined,
      (err: unknown) => rt.log.warn({ err }, 'request archive run failed'),
    );
  }, ARCHIVE_INTERVAL_MS);
  archiveTimer.unref();
  // Stop: no new runs, and a run in flight finishes before storage closes.
  deps.onStop(async () => {
    clearInterval(timer);
    clearInterval(archiveTimer);
    await Promise.all([running, archiving]);
  });
}
