/** botbuilder Storage on the `bot_state` table: the eTag check is part of the UPDATE, so it holds across instances. */
import type { Storage, StoreItems } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Db, Querier } from './db.js';
import { toJsonb } from './pg-repository.js';

interface Row {
  key: string;
  etag: string;
  data: Record<string, unknown>;
}

/**
 * Inserts the item, or updates it when the stored eTag matches ($4) or no eTag is required ($4 null, or '*').
 * No row back = the item exists with another eTag.
 */
const WRITE = `
  INSERT INTO bot_state (key, etag, data) VALUES ($1, $2, $3::jsonb)
  ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = now()
  WHERE $4::text IS NULL OR bot_state.etag = $4::text
  RETURNING key`;

export class PgBotStorage implements Storage {
  constructor(private readonly db: Db) {}

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    if (keys.length === 0) return out;
    const r = await this.db.query<Row>('bot state read', 'SELECT key, etag, data FROM bot_state WHERE key = ANY($1::text[])', [keys]);
    for (const row of r.rows) out[row.key] = { ...row.data, eTag: row.etag };
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    if (entries.length === 1) return writeOne(this.db.query, entries[0][0], entries[0][1]);
    // Several items: all or none, like the file store.
    await this.db.transaction('bot state write', async (query) => {
      for (const [key, value] of entries) await writeOne(query, key, value);
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('bot state delete', 'DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}

async function writeOne(query: Querier, key: string, value: unknown): Promise<void> {
  const { eTag, ...data } = (value ?? {}) as Record<string, unknown> & { eTag?: string };
  const expected = eTag && eTag !== '*' ? eTag : null;
  const r = await query('bot state write', WRITE, [key, randomUUID(), toJsonb(data), expected]);
  if (!r.rowCount) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}
