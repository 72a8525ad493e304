/**
 * `node dist/src/index.js --check-config`: what a deployment pipeline runs before it ships a configuration. It reads
 * the environment, the organisation file, its policy profile and the catalogue file exactly as a start would, and
 * names every bad value; it opens no port, no store and writes nothing.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { loadCatalog, loadCatalogWithOrgFile } from './domain/catalog.js';
import { loadPolicy } from './domain/policy.js';
import { loadOrgFile } from './identity/org-file.js';
import { fromRoot } from './paths.js';

export interface CheckResult {
  /** 0: everything loads; 2: a bad value (the same code a start gives for bad configuration). */
  code: 0 | 2;
  /** One line per problem, or a one-line summary when there is none. */
  lines: string[];
}

/** Checks the configuration without side effects. */
export function checkConfig(env: NodeJS.ProcessEnv, version: string): CheckResult {
  const lines: string[] = [];
  let config: Config | undefined;
  try {
    config = loadConfig(env, version);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    lines.push(...err.problems.map((p) => `environment: ${p}`));
  }
  // The files are named by the environment (or its defaults): checked even when another variable is bad.
  const orgFile = config?.orgFile ?? loadConfig({ ORG_FILE: env.ORG_FILE } as NodeJS.ProcessEnv).orgFile;
  const dataFiles = fromRoot('data');
  try {
    const org = loadOrgFile(orgFile);
    loadPolicy(org.organisation.program, dataFiles);
  } catch (err) {
    lines.push(`ORG_FILE: ${(err as Error).message}`);
  }
  if (env.CATALOG_FILE) {
    try {
      loadCatalogWithOrgFile(config?.catalogFile ?? env.CATALOG_FILE, dataFiles);
    } catch (err) {
      lines.push(`CATALOG_FILE: ${(err as Error).message}`);
    }
  } else {
    try {
      loadCatalog(undefined, dataFiles);
    } catch (err) {
      lines.push(`shipped catalogue: ${(err as Error).message}`);
    }
  }
  if (lines.length) return { code: 2, lines: ['Invalid configuration:', ...lines.map((l) => `  - ${l}`)] };
  const c = config as Config;
  return {
    code: 0,
    lines: [`Configuration OK: storage=${c.storage}, ${c.localMode ? 'local mode (no inbound authentication)' : `app type ${c.bot.appType}`}, NODE_ENV=${c.nodeEnv}`],
  };
}
