/** Durable whole-file JSON writes: temp file + fsync + rename + directory fsync; never a half-written file. */
import fs from 'node:fs';
import path from 'node:path';
import { CorruptFileError } from './errors.js';

let tmpCounter = 0;

/** Writes `content` (text, or byte chunks in order) to `file` atomically and durably. */
export async function writeFileAtomic(file: string, content: string | readonly Buffer[]): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  const handle = await fs.promises.open(tmp, 'w', 0o600);
  try {
    if (typeof content === 'string') await handle.writeFile(content, 'utf8');
    else await writeChunks(handle, content);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** writeFileAtomic, synchronously (start-up only: replaying a journal after a crash). */
export function writeFileAtomicSync(file: string, chunks: readonly Buffer[]): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeFileSync(fd, Buffer.concat(chunks as Buffer[]));
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  const d = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(d);
  } finally {
    fs.closeSync(d);
  }
}

/** Writes the chunks in order with as few system calls as the platform allows (writev), finishing a short write. */
async function writeChunks(handle: fs.promises.FileHandle, chunks: readonly Buffer[]): Promise<void> {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  let at = (await handle.writev(chunks as Buffer[], 0)).bytesWritten;
  if (at >= total) return;
  const rest = Buffer.concat(chunks as Buffer[]).subarray(at);
  for (let done = 0; done < rest.length; ) {
    const { bytesWritten } = await handle.write(rest, done, rest.length - done, at);
    if (bytesWritten <= 0) throw new Error(`short write to ${handle.fd}: nothing written at offset ${at}`);
    done += bytesWritten;
    at += bytesWritten;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const d = await fs.promises.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** Reads and parses a JSON file; undefined when it does not exist; CorruptFileError when it does not parse. */
export function readJsonFileSync<T>(file: string): T | undefined {
  return readJsonFileWithTextSync<T>(file)?.data;
}

/** Like readJsonFileSync, also returning the text as it is on disk. */
export function readJsonFileWithTextSync<T>(file: string): { data: T; text: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return { data: JSON.parse(text) as T, text };
  } catch (err) {
    throw new CorruptFileError(file, (err as Error).message);
  }
}

/** Removes temp files left by a crash between write and rename (they are never the truth). */
export function removeStaleTempFiles(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.') && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
  }
}
