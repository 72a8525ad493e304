/**
 * One JSON document on disk behind one lowdb instance and one writer.
 * Changes are applied in memory synchronously (so a change is atomic in this process) and made durable by
 * group commit: every change waits for a write that contains it. A failed write restores the last durable
 * state and rejects the changes it carried, so memory never runs ahead of disk.
 */
import { Low } from 'lowdb';
import { readJsonFileWithTextSync, writeFileAtomic } from './atomic-file.js';
import { CorruptFileError, StorageWriteError } from './errors.js';

export interface Document {
  schemaVersion: number;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** Validates the parsed file; returns a message for a file that is JSON but not ours. */
export type ShapeCheck<T> = (data: unknown) => data is T;

/**
 * Turns the document into the file's bytes, as chunks written in order (one writev). The default is one chunk of
 * JSON.stringify; cachedRecordsSerializer gives the same bytes for collection documents at a fraction of the cost.
 */
export type Serializer<T> = (data: T) => Buffer[];

const stringifySerializer = <T>(data: T): Buffer[] => [Buffer.from(JSON.stringify(data), 'utf8')];

const OPEN = Buffer.from('{');
const CLOSE = Buffer.from('}');
const COMMA = Buffer.from(',');
const RECORDS = Buffer.from('"records":{');

/**
 * The bytes of JSON.stringify for a document whose `records` member maps ids to records that are replaced, never
 * changed in place (FileRepository's rule): each record's `"id":{…}` bytes are kept while its object lives, so a
 * write serialises only the records changed since the last one and copies nothing else. Measured at 3,700 records
 * (10 MB): JSON.stringify of the document was 45 % of a create's CPU time, twice per create.
 */
export function cachedRecordsSerializer<T extends { records: Record<string, object> }>(): Serializer<T> {
  const cache = new WeakMap<object, { id: string; bytes: Buffer }>();
  const recordBytes = (id: string, r: object): Buffer => {
    const hit = cache.get(r);
    if (hit && hit.id === id) return hit.bytes;
    const bytes = Buffer.from(`${JSON.stringify(id)}:${JSON.stringify(r)}`, 'utf8');
    cache.set(r, { id, bytes });
    return bytes;
  };
  return (data) => {
    const chunks: Buffer[] = [OPEN];
    let first = true;
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue; // left out, as JSON.stringify does
      if (!first) chunks.push(COMMA);
      first = false;
      if (key !== 'records') {
        chunks.push(Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(value)}`, 'utf8'));
        continue;
      }
      chunks.push(RECORDS);
      let firstRecord = true;
      for (const [id, r] of Object.entries(data.records)) {
        if (!firstRecord) chunks.push(COMMA);
        firstRecord = false;
        chunks.push(recordBytes(id, r));
      }
      chunks.push(CLOSE);
    }
    chunks.push(CLOSE);
    return chunks;
  };
}

export class JsonFile<T extends Document> {
  private readonly low: Low<T>;
  /** What is on disk: the text read at open, then the chunks of the last successful write (for a rollback). */
  private durable: string | Buffer[];
  private writing: Promise<void> | undefined;
  private pending: Waiter[] = [];
  private dirty = false;
  private closed = false;

  private constructor(readonly file: string, initial: T, durable: string | Buffer[], private readonly serialize: Serializer<T>) {
    this.low = new Low<T>({ read: async () => this.low.data, write: (data) => writeFileAtomic(file, serialize(data)) }, initial);
    this.durable = durable;
  }

  /** Opens `file` (creating it from `empty` when missing); a file that does not parse or fit stops with CorruptFileError. */
  static open<T extends Document>(
    file: string,
    empty: () => T,
    isShape: ShapeCheck<T>,
    migrate?: (data: T) => T,
    serialize: Serializer<T> = stringifySerializer,
  ): JsonFile<T> {
    const read = readJsonFileWithTextSync<unknown>(file);
    if (read === undefined) {
      const data = empty();
      return new JsonFile(file, data, serialize(data), serialize);
    }
    const found = read.data;
    if (!isShape(found)) throw new CorruptFileError(file, 'its content is not the expected shape');
    const data = migrate ? migrate(found) : found;
    // What is on disk is the durable state (kept as read: no second serialisation of a big file at start-up).
    return new JsonFile(file, data, read.text, serialize);
  }

  /** The live data; read it, never change it outside `change`. */
  get data(): Readonly<T> {
    return this.low.data;
  }

  /** Applies `fn` to the data now and resolves once the change is on disk. */
  change<R>(fn: (data: T) => R): Promise<R> {
    if (this.closed) return Promise.reject(new StorageWriteError(this.file, new Error('store is closed')));
    let result: R;
    try {
      result = fn(this.low.data);
    } catch (err) {
      return Promise.reject(err); // a refused change (conflict, validation) changed nothing
    }
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ resolve: () => resolve(result), reject });
      this.dirty = true;
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.flushLoop().finally(() => {
      this.writing = undefined;
      if (this.dirty) this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const batch = this.pending;
      this.pending = [];
      const chunks = this.serialize(this.low.data);
      try {
        await writeFileAtomic(this.file, chunks);
        this.durable = chunks;
        for (const w of batch) w.resolve();
      } catch (err) {
        // Roll memory back to what is on disk: the changes of this batch and of any queued after it are lost.
        const failed = [...batch, ...this.pending];
        this.pending = [];
        this.dirty = false;
        this.low.data = JSON.parse(typeof this.durable === 'string' ? this.durable : Buffer.concat(this.durable).toString('utf8')) as T;
        const error = new StorageWriteError(this.file, err);
        for (const w of failed) w.reject(error);
      }
    }
  }

  /** Resolves when every change made so far is on disk (or has failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Flushes and refuses further changes. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
