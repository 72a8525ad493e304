/**
 * The write-ahead journal of a collection file (issue 10): a write appends the records it changed to
 * `<name>.journal` (one JSON line, fsync) instead of rewriting the whole `<name>.json`, so the cost of a write
 * follows the size of the change, not of the file. Now and then (when the journal outgrows the file, at open after
 * a crash, at a clean stop, after a failed write, for bulk changes such as archiving) the whole file is written
 * again and the journal emptied.
 *
 * Every journal line holds final values (records put, ids deleted, sequence values), so replaying lines that the
 * file already contains changes nothing: the file is written from exactly the state after the last line, and a
 * crash between writing the file and emptying the journal only replays what the file already holds.
 */
import fs from 'node:fs';
import { writeFileAtomicSync } from './atomic-file.js';
import { CorruptFileError } from './errors.js';

export interface CollectionShape {
  records: Record<string, object>;
  sequences: Record<string, number>;
}

interface Entry {
  put?: Record<string, object>;
  del?: string[];
  seq?: Record<string, number>;
}

/** What a change to a journaled file touches: record ids and sequence scopes. */
export interface TouchedKeys {
  ids: readonly string[];
  seqs?: readonly string[];
}

/**
 * What a batch of changes touched, with the values the records and sequences had before it (for a rollback):
 * kept per change by FileRepository, so a write costs the size of the change, not a pass over every record.
 */
export class Touched {
  readonly records = new Map<string, object | undefined>();
  readonly sequences = new Map<string, number | undefined>();

  /** Notes the prior values of what a change is about to touch (the first note of an id wins). */
  note(data: CollectionShape, ids: readonly string[], seqs: readonly string[]): void {
    for (const id of ids) if (!this.records.has(id)) this.records.set(id, data.records[id]);
    for (const k of seqs) if (!this.sequences.has(k)) this.sequences.set(k, data.sequences[k]);
  }

  get empty(): boolean {
    return this.records.size === 0 && this.sequences.size === 0;
  }

  /** The journal line (without newline) with the current values of what was touched; undefined when nothing was. */
  line(data: CollectionShape): string | undefined {
    let put: Record<string, object> | undefined;
    let del: string[] | undefined;
    let seq: Record<string, number> | undefined;
    for (const id of this.records.keys()) {
      const r = data.records[id];
      if (r === undefined) (del ??= []).push(id);
      else (put ??= {})[id] = r;
    }
    for (const k of this.sequences.keys()) if (data.sequences[k] !== undefined) (seq ??= {})[k] = data.sequences[k];
    if (!put && !del && !seq) return undefined;
    const entry: Entry = {};
    if (put) entry.put = put;
    if (del) entry.del = del;
    if (seq) entry.seq = seq;
    return JSON.stringify(entry);
  }
}

/** Puts back what `older`, then `newer`, touched (older values win): memory returns to the last durable state. */
export function undo(data: CollectionShape, older: Touched, newer: Touched): void {
  for (const t of [newer, older]) {
    for (const [id, r] of t.records) {
      if (r === undefined) delete data.records[id];
      else data.records[id] = r;
    }
    for (const [k, v] of t.sequences) {
      if (v === undefined) delete data.sequences[k];
      else data.sequences[k] = v;
    }
  }
}

function applyEntry(data: CollectionShape, entry: unknown, file: string, line: number): void {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new CorruptFileError(file, `line ${line} is not a journal entry`);
  const e = entry as Entry;
  if (e.del !== undefined && !Array.isArray(e.del)) throw new CorruptFileError(file, `line ${line} has a bad "del"`);
  for (const id of e.del ?? []) delete data.records[String(id)];
  if (e.put !== undefined) {
    if (typeof e.put !== 'object' || e.put === null || Array.isArray(e.put)) throw new CorruptFileError(file, `line ${line} has a bad "put"`);
    for (const [id, r] of Object.entries(e.put)) {
      if (!r || typeof r !== 'object') throw new CorruptFileError(file, `line ${line} has a bad record "${id}"`);
      data.records[id] = r;
    }
  }
  if (e.seq !== undefined) {
    if (typeof e.seq !== 'object' || e.seq === null) throw new CorruptFileError(file, `line ${line} has a bad "seq"`);
    for (const [k, v] of Object.entries(e.seq)) {
      if (typeof v !== 'number') throw new CorruptFileError(file, `line ${line} has a bad sequence "${k}"`);
      data.sequences[k] = v;
    }
  }
}

/**
 * Replays the journal onto `data` (in place). Returns how many bytes it held (0 when missing or empty).
 * Complete lines must parse (else CorruptFileError: start-up stops, the file is left untouched); an unfinished last
 * line is a write that was never acknowledged (the process died before its fsync returned) and is ignored.
 */
export function replayJournal(journal: string, data: CollectionShape): number {
  let text: string;
  try {
    text = fs.readFileSync(journal, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const complete = text.lastIndexOf('\n') + 1;
  let n = 0;
  for (const line of text.slice(0, complete).split('\n')) {
    n++;
    if (!line) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (err) {
      throw new CorruptFileError(journal, `line ${n}: ${(err as Error).message}`);
    }
    applyEntry(data, entry, journal, n);
  }
  return Buffer.byteLength(text);
}

/** Creates the journal when it is missing (its directory entry is made durable by the caller's directory fsync). */
export async function ensureJournal(journal: string): Promise<void> {
  await (await fs.promises.open(journal, 'a', 0o600)).close();
}

/** Creates the journal when it is missing and makes its directory entry durable (at open). */
export function ensureJournalSync(journal: string, dir: string): void {
  fs.closeSync(fs.openSync(journal, 'a', 0o600));
  const d = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(d);
  } finally {
    fs.closeSync(d);
  }
}

/**
 * Empties the journal once the whole file holding everything it said is durable. The truncation itself becomes
 * durable with the next append's fsync (same file); replaying the old lines before that changes nothing.
 */
export async function emptyJournal(journal: string): Promise<void> {
  await fs.promises.truncate(journal, 0);
}

export function emptyJournalSync(journal: string): void {
  fs.truncateSync(journal, 0);
}

/**
 * After a fold wrote the file with everything up to byte `upTo`, drops those bytes (synchronously, so no append
 * comes in between): truncates when nothing came after them, else writes what came after into a new journal that
 * replaces the old one (temp file, fsync, rename, directory fsync: either journal replays correctly on that file).
 * Returns the journal's new size.
 */
export function dropJournalPrefix(journal: string, upTo: number, size: number): number {
  if (size <= upTo) {
    fs.truncateSync(journal, 0);
    return 0;
  }
  const tail = Buffer.alloc(size - upTo);
  const fd = fs.openSync(journal, 'r');
  try {
    for (let done = 0; done < tail.length; ) {
      const n = fs.readSync(fd, tail, done, tail.length - done, upTo + done);
      if (n <= 0) throw new Error(`${journal} is shorter than expected`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  writeFileAtomicSync(journal, [tail]);
  return tail.length;
}

/** Removes the (emptied) journal at a clean stop. */
export async function removeJournal(journal: string): Promise<void> {
  await fs.promises.rm(journal, { force: true });
}
