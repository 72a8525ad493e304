#!/usr/bin/env node
// `npm run package [-- --env <name>]`: fills appPackage/manifest.json and its localization files from the
// environment, checks them offline against the Teams schema bundled with @microsoft/app-manifest, and writes
// appPackage/build/appPackage.<env>.zip (plus the filled manifest.<env>.json, for reading).
//
// Variables, later ones winning: defaults (APP_VERSION = package.json version, APP_NAME_SUFFIX empty),
// env/.env.<env> (committed, no secrets), env/.env.<env>.user (ignored, secrets), the process environment.
// The environment name comes from --env, else APP_ENV, else "local".
// webApplicationInfo is kept only when GRAPH_CLIENT_ID is set (Graph configured), removed otherwise.
// Any problem (a missing variable, a schema error, a wrong icon size …) is listed and the exit code is 1.
//
// Options: --env <name>  --app-dir <dir> (default appPackage)  --env-dir <dir> (default env)
//          --out-dir <dir> (default <app-dir>/build)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvFile } from './lib/env-file.mjs';
import { readPngHeader } from './lib/png.mjs';
import { validateOffline } from './lib/teams-schema.cjs';
import { createZip } from './lib/zip.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Longest command title we allow (the schema allows 128; Teams shows about 32 in the command menu). */
export const MAX_COMMAND_TITLE = 32;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ICONS = [
  { key: 'color', size: 192 },
  { key: 'outline', size: 32 },
];

export class PackageError extends Error {
  constructor(problems) {
    super(`Cannot build the app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
    this.problems = problems;
  }
}

/** The variables for an environment: defaults < env/.env.<env> < env/.env.<env>.user < processEnv. */
export function loadVariables(envName, envDir, processEnv) {
  const base = path.join(envDir, `.env.${envName}`);
  if (!fs.existsSync(base)) throw new PackageError([`${base} not found (environment "${envName}")`]);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  let files;
  try {
    files = { ...readEnvFile(base), ...readEnvFile(`${base}.user`) };
  } catch (err) {
    throw new PackageError([err.message]);
  }
  return { APP_VERSION: pkg.version, APP_NAME_SUFFIX: '', ...files, ...processEnv };
}

/** Replaces ${{NAME}} in every string of a JSON value; names without a value are added to `missing`. */
export function fillPlaceholders(value, vars, missing) {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_, name) => {
      if (!Object.hasOwn(vars, name) || vars[name] === undefined) {
        missing.add(name);
        return '';
      }
      return String(vars[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, vars, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, vars, missing)]));
  }
  return value;
}

/** The value at a localization key such as "bots[0].commandLists[1].commands[2].title", or undefined. */
export function valueAtKey(doc, key) {
  let node = doc;
  for (const part of key.split('.')) {
    const m = /^([A-Za-z0-9_]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    node = node?.[m[1]];
    for (const index of m[2].match(/\d+/g) ?? []) node = node?.[Number(index)];
  }
  return node;
}

const TOP_LEVEL_KEYS = new Set(['$schema', 'name.short', 'name.full', 'description.short', 'description.full', 'localizationKeys']);

/** Problems that the schema does not catch: command titles, the languages' coverage, domains, icons. */
export function checkRules(manifest, localizations, appDir) {
  const problems = [];
  const version = manifest.manifestVersion;
  if (!String(manifest.$schema ?? '').includes(`/v${version}/`)) problems.push(`manifest.json: $schema "${manifest.$schema}" is not the schema of manifestVersion ${version}`);

  const commandKeys = [];
  (manifest.bots ?? []).forEach((bot, b) =>
    (bot.commandLists ?? []).forEach((list, l) => {
      const seen = new Set();
      (list.commands ?? []).forEach((command, c) => {
        const key = `bots[${b}].commandLists[${l}].commands[${c}]`;
        commandKeys.push({ key, command });
        if (command.title.length > MAX_COMMAND_TITLE) problems.push(`manifest.json: ${key}.title "${command.title}" is longer than ${MAX_COMMAND_TITLE} characters`);
        if (seen.has(command.title.toLowerCase())) problems.push(`manifest.json: ${key}.title "${command.title}" appears twice in one command list`);
        seen.add(command.title.toLowerCase());
      });
    }),
  );

  for (const { file, doc } of localizations) {
    if (doc.$schema && !String(doc.$schema).includes(`/v${version}/`)) problems.push(`${file}: $schema must be the v${version} localization schema, like the manifest's`);
    for (const [key, value] of Object.entries(doc)) {
      if (TOP_LEVEL_KEYS.has(key)) continue;
      if (valueAtKey(manifest, key) === undefined) problems.push(`${file}: "${key}" translates nothing in manifest.json`);
      if (key.endsWith('.title') && key.includes('commandLists') && String(value).length > MAX_COMMAND_TITLE) {
        problems.push(`${file}: "${key}" ("${value}") is longer than ${MAX_COMMAND_TITLE} characters`);
      }
    }
    for (const { key, command } of commandKeys) {
      for (const field of ['title', 'description']) {
        if (command[field] !== undefined && doc[`${key}.${field}`] === undefined) problems.push(`${file}: no translation for ${key}.${field} ("${command[field]}")`);
      }
    }
  }

  for (const domain of manifest.validDomains ?? []) {
    if (/[/\\?#]|:\/\//.test(domain) || domain.trim() !== domain || !domain) {
      problems.push(`manifest.json: validDomains entry "${domain}" must be a host name without scheme or path (e.g. bot.example.com)`);
    }
  }

  for (const { key, size } of ICONS) {
    const rel = manifest.icons?.[key];
    if (!rel) continue; // the schema reports it
    const file = path.join(appDir, rel);
    if (!fs.existsSync(file)) {
      problems.push(`icons.${key}: ${rel} not found in ${appDir} (run npm run icons)`);
      continue;
    }
    try {
      const h = readPngHeader(fs.readFileSync(file));
      if (h.width !== size || h.height !== size) problems.push(`icons.${key}: ${rel} is ${h.width}×${h.height}, Teams needs ${size}×${size}`);
      if (key === 'outline' && h.colourType !== 6) problems.push(`icons.outline: ${rel} must be RGBA (a transparent background)`);
    } catch {
      problems.push(`icons.${key}: ${rel} is not a PNG file`);
    }
  }
  return problems;
}

/** Fills, validates and zips the app package; throws PackageError listing every problem found. */
export async function buildPackage({ envName = 'local', appDir = path.join(root, 'appPackage'), envDir = path.join(root, 'env'), outDir, processEnv = process.env } = {}) {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(envName)) throw new PackageError([`environment name "${envName}" must be letters, digits, - or _`]);
  const vars = loadVariables(envName, envDir, processEnv);
  const readJson = (rel) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(appDir, rel), 'utf8'));
    } catch (err) {
      throw new PackageError([`${rel}: ${err.code === 'ENOENT' ? 'not found' : err.message}`]);
    }
  };

  const template = readJson('manifest.json');
  if (!vars.GRAPH_CLIENT_ID) delete template.webApplicationInfo;
  const missing = new Set();
  const manifest = fillPlaceholders(template, vars, missing);
  const languages = manifest.localizationInfo?.additionalLanguages ?? [];
  const localizations = languages.map(({ file }) => ({ file, doc: fillPlaceholders(readJson(file), vars, missing) }));
  if (missing.size) {
    const names = [...missing].sort().join(', ');
    throw new PackageError([`no value for ${names}: set ${missing.size > 1 ? 'them' : 'it'} in env/.env.${envName}, env/.env.${envName}.user or the environment`]);
  }

  const problems = [];
  for (const error of await validateOffline(manifest)) problems.push(`manifest.json: ${error}`);
  for (const { file, doc } of localizations) for (const error of await validateOffline(doc)) problems.push(`${file}: ${error}`);
  problems.push(...checkRules(manifest, localizations, appDir));
  const texts = [['manifest.json', manifest], ...localizations.map((l) => [l.file, l.doc])].map(([name, doc]) => [name, `${JSON.stringify(doc, null, 2)}\n`]);
  for (const [name, text] of texts) if (text.includes('${{')) problems.push(`${name}: a malformed \${{…}} placeholder is left after filling`);
  if (problems.length) throw new PackageError(problems);

  const entries = [
    ...texts.map(([name, text]) => ({ name, data: text })),
    ...ICONS.map(({ key }) => ({ name: manifest.icons[key], data: fs.readFileSync(path.join(appDir, manifest.icons[key])) })),
  ];
  const out = outDir ?? path.join(appDir, 'build');
  fs.mkdirSync(out, { recursive: true });
  const zipFile = path.join(out, `appPackage.${envName}.zip`);
  fs.writeFileSync(zipFile, createZip(entries));
  fs.writeFileSync(path.join(out, `manifest.${envName}.json`), texts[0][1]);
  return { zipFile, manifest, files: entries.map((e) => e.name) };
}

function parseArgs(argv) {
  const opts = {};
  const names = { '--env': 'envName', '--app-dir': 'appDir', '--env-dir': 'envDir', '--out-dir': 'outDir' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--help' || flag === '-h') return { help: true };
    const key = names[flag];
    if (!key) throw new PackageError([`unknown option ${argv[i]} (options: ${Object.keys(names).join(', ')})`]);
    const value = inline ?? argv[++i];
    if (!value) throw new PackageError([`${flag} needs a value`]);
    opts[key] = key === 'envName' ? value : path.resolve(value);
  }
  return opts;
}

async function main() {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      console.log('Usage: npm run package [-- --env <name>] [--app-dir <dir>] [--env-dir <dir>] [--out-dir <dir>]');
      return;
    }
    const envName = opts.envName ?? (process.env.APP_ENV || 'local');
    const result = await buildPackage({ ...opts, envName });
    const webApp = result.manifest.webApplicationInfo ? `webApplicationInfo ${result.manifest.webApplicationInfo.id}` : 'no webApplicationInfo (GRAPH_CLIENT_ID not set)';
    console.log(`Teams app package for "${envName}" (manifest ${result.manifest.manifestVersion}, app ${result.manifest.id}, bot ${result.manifest.bots[0].botId}, ${webApp}):`);
    console.log(`  ${path.relative(process.cwd(), result.zipFile) || result.zipFile}: ${result.files.join(', ')}`);
  } catch (err) {
    process.stderr.write(`${err instanceof PackageError ? err.message : err.stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
