/** Identity: which Directory the app uses (Microsoft Graph when enabled, else the organisation file). */
import type { Config } from '../config.js';
import type { Logger } from '../logging/logger.js';
import type { Directory } from './directory.js';
import { GraphDirectory } from './graph-directory.js';

export { DirectoryUnavailableError, OrgFileDirectory, type Directory } from './directory.js';
export { GLOBAL_ADMIN_ROLE_TEMPLATE_ID, GraphDirectory, type GraphDirectoryOptions } from './graph-directory.js';

/** The directory for this configuration: GraphDirectory over `fallback` when GRAPH_ENABLED=1, else `fallback` itself. */
export function createDirectory(deps: { config: Config; logger: Logger; fallback: Directory }): Directory {
  if (!deps.config.graph.enabled) return deps.fallback;
  return new GraphDirectory({ graph: deps.config.graph, logger: deps.logger.child({ component: 'graph' }), fallback: deps.fallback });
}
