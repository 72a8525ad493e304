/** Storage errors the rest of the app can tell apart. */

/** A data file exists but cannot be parsed; start-up stops and the file is left untouched. */
export class CorruptFileError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`Data file ${file} is corrupt (${detail}). It was left untouched: restore it from a backup or move it away, then start again.`);
    this.name = 'CorruptFileError';
  }
}

/** Another process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`Data directory ${dir} is in use by another bot process (pid ${pid}). Stop it first, or give this one its own DATA_DIR.`);
    this.name = 'DataDirLockedError';
  }
}

/** A compare-and-set lost: somebody changed the record first. */
export class ConflictError extends Error {
  constructor(readonly collection: string, readonly id: string) {
    super(`${collection}/${id} was changed by someone else`);
    this.name = 'ConflictError';
  }
}

/** The record does not exist. */
export class NotFoundError extends Error {
  constructor(readonly collection: string, readonly id: string) {
    super(`${collection}/${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** A write could not be made durable (disk full, read-only, …); nothing of it was kept. */
export class StorageWriteError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`Could not save ${file}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StorageWriteError';
  }
}
