/**
 * Messages the bot could not place, kept (without secrets) so the corpus can grow from real use: admins read
 * them with "unrecognised", and the report shows the most frequent ones.
 */
import { randomUUID } from 'node:crypto';
import type { Lang } from '../i18n/i18n.js';
import type { Repository } from '../storage/collection.js';

export interface UnrecognisedRecord {
  id: string;
  version: number;
  tenantId: string;
  lang: Lang;
  /** The message with secrets and personal data replaced, at most MAX_KEPT_CHARS. */
  text: string;
  at: string;
  /** The intents offered in "did you mean", when there were some. */
  offered: string[];
}

export const UNRECOGNISED_COLLECTION = 'unrecognised';
const MAX_KEPT_CHARS = 300;
/** Per tenant; the oldest go first. */
const MAX_KEPT = 500;

const PERSONAL: readonly [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '[id]'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/\+?\d[\d ().-]{7,}\d/g, '[number]'],
  // Access IDs, Contract IDs, keys and tokens: long runs of letters and digits mixed.
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{12,}\b/g, '[secret]'],
];

/** The message as it may be kept: known secrets (the organisation's IDs) and anything that looks personal replaced. */
export function redactForLog(text: string, scrubKnown: (s: string) => string): string {
  // Cut first: the patterns below are not linear on long runs of digits or letters.
  let out = scrubKnown(text.slice(0, MAX_KEPT_CHARS * 2));
  for (const [p, r] of PERSONAL) out = out.replace(p, r);
  return out.replace(/\s+/g, ' ').trim().slice(0, MAX_KEPT_CHARS);
}

const PRUNE_EVERY = 50;

export class UnrecognisedLog {
  private notes = 0;
  constructor(
    private readonly repo: Repository<UnrecognisedRecord>,
    private readonly scrubKnown: (s: string) => string,
  ) {}

  /** Keeps a message; the oldest of the tenant go once there are more than MAX_KEPT. */
  async note(entry: { tenantId: string; lang: Lang; text: string; at: Date; offered?: readonly string[] }): Promise<void> {
    const text = redactForLog(entry.text, this.scrubKnown);
    if (!text) return;
    await this.repo.insert({ id: randomUUID(), tenantId: entry.tenantId, lang: entry.lang, text, at: entry.at.toISOString(), offered: [...(entry.offered ?? [])] });
    // Pruned now and then, not on every note: a burst of unknown messages must not scan the log each time.
    if (++this.notes % PRUNE_EVERY !== 1) return;
    const mine = await this.recent(entry.tenantId, Number.MAX_SAFE_INTEGER);
    for (const old of mine.slice(MAX_KEPT)) await this.repo.delete(old.id);
  }

  /** The tenant's kept messages, newest first. */
  async recent(tenantId: string, limit: number): Promise<UnrecognisedRecord[]> {
    const all = await this.repo.list((r) => r.tenantId === tenantId);
    return all.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
  }

  /** The most frequent kept messages of a tenant since `since` (same text after folding case and spaces). */
  async frequent(tenantId: string, since: Date, limit: number): Promise<{ text: string; count: number }[]> {
    const counts = new Map<string, { text: string; count: number }>();
    for (const r of await this.repo.list((x) => x.tenantId === tenantId && x.at >= since.toISOString())) {
      const key = r.text.toLowerCase();
      const c = counts.get(key) ?? { text: r.text, count: 0 };
      c.count++;
      counts.set(key, c);
    }
    return [...counts.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, limit);
  }
}
