/**
 * Durable appends to one file through a descriptor kept open (O_APPEND | O_DSYNC: a write returns once its bytes
 * and the file size are on disk). Under load every call to the thread pool waits for a turn of a busy event loop
 * (measured: 20–40 ms per call with 50 busy connections), so an append is one call: the write, with a check that
 * the path still names the file we write running beside it. A file that was moved or removed under us (a data
 * directory taken away) fails the append like a full disk would; what the write left is cut off again.
 */
import fs from 'node:fs';

const FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_DSYNC;

export class DurableAppender {
  private handle: fs.promises.FileHandle | undefined;
  private ino = -1;
  /** Bytes in the file as far as this appender knows (where a failed append is cut back to). */
  private size = 0;

  /** `create`: make the file when missing (its directory entry is then made durable by the caller, or not needed). */
  constructor(readonly file: string, private readonly create: boolean) {}

  async append(bytes: Buffer): Promise<void> {
    const h = this.handle ?? (await this.open());
    try {
      const [written, here] = await Promise.all([h.write(bytes, 0, bytes.length), fs.promises.stat(this.file).catch(() => undefined)]);
      let done = written.bytesWritten;
      while (done < bytes.length) {
        const { bytesWritten } = await h.write(bytes, done, bytes.length - done);
        if (bytesWritten <= 0) throw new Error(`short write to ${this.file}`);
        done += bytesWritten;
      }
      if (!here || here.ino !== this.ino) throw new Error(`${this.file} was moved or removed while open`);
      this.size += bytes.length;
    } catch (err) {
      await h.truncate(this.size).catch(() => undefined);
      await this.close();
      throw err;
    }
  }

  /** The file was emptied (truncated by path): later appends start at 0. */
  emptied(): void {
    this.size = 0;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => undefined);
  }

  private async open(): Promise<fs.promises.FileHandle> {
    const h = await fs.promises.open(this.file, this.create ? FLAGS | fs.constants.O_CREAT : FLAGS, 0o600);
    try {
      const st = await h.stat();
      this.ino = st.ino;
      this.size = st.size;
    } catch (err) {
      await h.close().catch(() => undefined);
      throw err;
    }
    this.handle = h;
    return h;
  }
}
