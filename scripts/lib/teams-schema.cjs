// Offline validation against the Teams JSON schemas that @microsoft/app-manifest bundles. CommonJS so that
// scripts/package.mjs and the Jest tests (test/package/) call the very same function.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { AppManifestUtils } = require('@microsoft/app-manifest');

/** The bundled schema file for a Teams schema URL, or undefined when @microsoft/app-manifest does not ship it. */
function bundledSchemaFile(schemaUrl) {
  const m = /\/json-schemas\/teams\/(v[^/]+)\/([^/]+\.json)$/.exec(String(schemaUrl ?? ''));
  if (!m) return undefined;
  const file = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams', m[1], m[2]);
  return fs.existsSync(file) ? file : undefined;
}

/** Escapes a "]" that closes no character class; the rest of the pattern is unchanged. */
function escapeLoneBrackets(pattern) {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      out += inClass ? ch : '\\]';
      inClass = false;
    } else {
      out += ch;
    }
  }
  return out;
}

function validUnicodeRegExp(pattern) {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * Ajv compiles patterns with the "u" flag, and the v1.2x–1.30 localization schemas contain two patterns
 * (activities.activityTypes[…]) with a lone "]" that the flag rejects: escape such brackets so the schema compiles.
 */
function repairPatterns(node) {
  if (Array.isArray(node)) return node.map(repairPatterns);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string' && !validUnicodeRegExp(value)) out[key] = escapeLoneBrackets(value);
    else if (key === 'patternProperties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([p, v]) => [validUnicodeRegExp(p) ? p : escapeLoneBrackets(p), repairPatterns(v)]));
    } else out[key] = repairPatterns(value);
  }
  return out;
}

/**
 * Validates a Teams manifest or localization file against the schema its $schema names, offline (the schema
 * must be one @microsoft/app-manifest bundles), with AppManifestUtils.validateAgainstSchema. Returns the errors.
 */
async function validateOffline(doc) {
  const url = doc && doc.$schema;
  if (!bundledSchemaFile(url)) {
    return [`$schema "${url}" is not a schema bundled with @microsoft/app-manifest, so it cannot be checked offline`];
  }
  // For a URL it ships, fetchSchema reads the bundled file (no network).
  const schema = repairPatterns(await AppManifestUtils.fetchSchema(url));
  return AppManifestUtils.validateAgainstSchema(doc, schema);
}

exports.bundledSchemaFile = bundledSchemaFile;
exports.escapeLoneBrackets = escapeLoneBrackets;
exports.validateOffline = validateOffline;
