/**
 * Archiving: finished requests (resolved, closed, withdrawn) untouched for REQUEST_ARCHIVE_DAYS move out of the hot
 * file into monthly history (archive/requests/<month of their last change>.json on the embedded store), so the
 * file every create rewrites stays the size of the live work, not of all history.
 */
import type { AppDeps } from '../app-deps.js';
import { runtimeFor } from './runtime.js';
import type { ArchiveRun } from './service.js';

/** How often the archive job looks (a request is due days after its last change, so hourly is plenty). */
export const ARCHIVE_INTERVAL_MS = 60 * 60 * 1000;

/** Archives what is due at `now` (one run at a time across instances); audited per tenant. */
export async function runRequestArchive(deps: AppDeps, now: Date): Promise<ArchiveRun> {
  const rt = runtimeFor(deps);
  const done = await deps.store.runExclusive('requests.archive', async () => {
    const run = await rt.service.archiveFinished(now, deps.config.requests.archiveDays);
    if (run.archived > 0) rt.log.info({ archived: run.archived, periods: run.periods }, 'finished requests archived');
    for (const [tenantId, requests] of Object.entries(run.tenants)) {
      await deps.store.audit.record({
        at: now.toISOString(),
        tenantId,
        action: 'request.archived',
        details: { requests, periods: run.periods.join(','), days: deps.config.requests.archiveDays },
      });
    }
    return run;
  });
  return done ?? { archived: 0, periods: [], tenants: {} };
}
