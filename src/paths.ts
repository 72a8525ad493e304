/** Locates the project root (where cards/, data/ and the locale files live) for source, build and test runs alike. */
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'partner-support-assistant';

function isProjectRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false; // no package.json here, or not ours: keep walking up
  }
}

function findRoot(): string {
  const starts = [process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : '', process.cwd()].filter(Boolean);
  for (const start of starts) {
    let dir = start;
    for (;;) {
      if (isProjectRoot(dir)) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

/** Absolute path of the project root. */
export const appRoot = findRoot();
/** Absolute path of a file or folder inside the project root. */
export const fromRoot = (...parts: string[]): string => path.join(appRoot, ...parts);
