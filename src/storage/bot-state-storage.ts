/** botbuilder Storage on a JSON file, with eTag optimistic concurrency (backs ConversationState/UserState). */
import type { Storage, StoreItems } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { JsonFile } from './json-file.js';

export interface StateDoc {
  schemaVersion: number;
  items: Record<string, Record<string, unknown>>;
}

/** Shape check for the state file. */
export function isStateDoc(v: unknown): v is StateDoc {
  return !!v && typeof v === 'object' && typeof (v as StateDoc).schemaVersion === 'number' && typeof (v as StateDoc).items === 'object';
}

export class FileBotStorage implements Storage {
  constructor(private readonly file: JsonFile<StateDoc>) {}

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const k of keys) {
      const item = this.file.data.items[k];
      if (item) out[k] = structuredClone(item);
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    await this.file.change((d) => {
      for (const [key, value] of Object.entries(changes)) {
        const cur = d.items[key];
        const eTag = (value as { eTag?: string }).eTag;
        if (cur && eTag && eTag !== '*' && cur.eTag !== eTag) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
      }
      for (const [key, value] of Object.entries(changes)) {
        d.items[key] = { ...structuredClone(value as Record<string, unknown>), eTag: randomUUID() };
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    await this.file.change((d) => {
      for (const k of keys) delete d.items[k];
    });
  }
}
