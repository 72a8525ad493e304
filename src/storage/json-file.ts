/**
 * One JSON document on disk behind one lowdb instance and one writer.
 * Changes are applied in memory synchronously (so a change is atomic in this process) and made durable by
 * group commit: every change waits for a write that contains it. A failed write restores the last durable
 * state and rejects the changes it carried, so memory never runs ahead of disk.
 */
import { Low } from 'lowdb';
import { readJsonFileSync, writeFileAtomic } from './atomic-file.js';
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

export class JsonFile<T extends Document> {
  private readonly low: Low<T>;
  private durableText: string;
  private writing: Promise<void> | undefined;
  private pending: Waiter[] = [];
  private dirty = false;
  private closed = false;

  private constructor(readonly file: string, initial: T, durableText: string) {
    this.low = new Low<T>({ read: async () => this.low.data, write: (data) => writeFileAtomic(file, JSON.stringify(data)) }, initial);
    this.durableText = durableText;
  }

  /** Opens `file` (creating it from `empty` when missing); a file that does not parse or fit stops with CorruptFileError. */
  static open<T extends Document>(file: string, empty: () => T, isShape: ShapeCheck<T>, migrate?: (data: T) => T): JsonFile<T> {
    const found = readJsonFileSync<unknown>(file);
    if (found === undefined) {
      const data = empty();
      return new JsonFile(file, data, JSON.stringify(data));
    }
    if (!isShape(found)) throw new CorruptFileError(file, 'its content is not the expected shape');
    const data = migrate ? migrate(found) : found;
    return new JsonFile(file, data, JSON.stringify(found));
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
      const text = JSON.stringify(this.low.data);
      try {
        await writeFileAtomic(this.file, text);
        this.durableText = text;
        for (const w of batch) w.resolve();
      } catch (err) {
        // Roll memory back to what is on disk: the changes of this batch and of any queued after it are lost.
        const failed = [...batch, ...this.pending];
        this.pending = [];
        this.dirty = false;
        this.low.data = JSON.parse(this.durableText) as T;
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
