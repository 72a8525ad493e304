// Reads Teams Toolkit style env files: KEY=VALUE lines, # comments, optional single or double quotes.
import fs from 'node:fs';

/** Parses the text of an env file; a line that is not KEY=VALUE throws with its line number. */
export function parseEnvFile(text, fileName = 'env file') {
  const out = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!m) throw new Error(`${fileName}:${i + 1}: expected KEY=VALUE`);
    let value = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n').replace(/\\"/g, '"') : quoted[2];
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]] = value;
  });
  return out;
}

/** The variables of an env file, or {} when it does not exist. */
export function readEnvFile(file) {
  if (!fs.existsSync(file)) return {};
  return parseEnvFile(fs.readFileSync(file, 'utf8'), file);
}
