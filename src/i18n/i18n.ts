/** User-facing strings from locale files: src/i18n/locales/<lang>/<namespace>.json, addressed as "namespace.path.to.key". */
import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../paths.js';

export const LANGUAGES = ['en', 'ko'] as const;
export type Lang = (typeof LANGUAGES)[number];

export type Vars = Record<string, string | number | undefined>;
export type Translate = (key: string, vars?: Vars) => string;

type Tree = { [k: string]: string | Tree };

/** Korean for ko*, English otherwise (activity.locale). */
export function langOf(locale: string | undefined): Lang {
  return (locale ?? '').toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export class MissingStringError extends Error {}

/** Names every string may use without the caller passing them (the policy profile's offer and benefit names). */
export type Terms = Record<Lang, Readonly<Record<string, string>>>;

export class I18n {
  private readonly strings: Record<Lang, Map<string, string>>;
  private readonly bound: Record<Lang, Translate>;
  private readonly terms: Terms;

  constructor(dir = fromRoot('src', 'i18n', 'locales'), terms: Terms = { en: {}, ko: {} }) {
    this.terms = terms;
    this.strings = { en: load(path.join(dir, 'en')), ko: load(path.join(dir, 'ko')) };
    this.bound = { en: (key, vars) => this.t('en', key, vars), ko: (key, vars) => this.t('ko', key, vars) };
  }

  /** Every key known in `lang`. */
  keys(lang: Lang): string[] {
    return [...this.strings[lang].keys()];
  }

  has(lang: Lang, key: string): boolean {
    return this.strings[lang].has(key);
  }

  /** The string for `key` in `lang` (English when Korean lacks it), with {name} placeholders filled from `vars`, then from the terms. Unknown keys throw. */
  t(lang: Lang, key: string, vars?: Vars): string {
    const s = this.strings[lang].get(key) ?? this.strings.en.get(key);
    if (s === undefined) throw new MissingStringError(`Missing string "${key}"`);
    if (!s.includes('{')) return s;
    const terms = this.terms[lang];
    return s.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = vars?.[name] ?? terms[name];
      return v === undefined ? m : String(v);
    });
  }

  /** The translate function of one language: the same function every time (what is built from it can be kept per function). */
  forLang(lang: Lang): Translate {
    return this.bound[lang];
  }
}

function load(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const ns = file.slice(0, -5);
    const tree = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Tree;
    flatten(tree, ns, out);
  }
  return out;
}

function flatten(tree: Tree, prefix: string, out: Map<string, string>): void {
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
}
