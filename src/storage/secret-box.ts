/** AES-256-GCM encryption of secrets at rest (Access ID, Contract ID). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

const PREFIX = 'enc:v1:';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Builds a SecretBox from a base64 key, or (local mode) from `DATA_DIR/secret.key`, created 0600 when missing. */
export function createSecretBox(opts: { keyBase64: string; dataDir: string; allowKeyFile: boolean }): SecretBox {
  let key: Buffer;
  if (opts.keyBase64) {
    key = Buffer.from(opts.keyBase64, 'base64');
  } else if (opts.allowKeyFile) {
    const file = path.join(opts.dataDir, 'secret.key');
    if (fs.existsSync(file)) {
      key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    } else {
      key = crypto.randomBytes(32);
      fs.mkdirSync(opts.dataDir, { recursive: true });
      fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    fs.chmodSync(file, 0o600);
  } else {
    throw new SecretKeyError('DATA_ENCRYPTION_KEY is not set: the Access ID and Contract ID cannot be stored encrypted');
  }
  if (key.length !== 32) throw new SecretKeyError('The encryption key must be 32 bytes (base64)');
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new SecretKeyError('Stored secret is not in the encrypted format');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError('Stored secrets cannot be decrypted with this key (wrong DATA_ENCRYPTION_KEY or key file)');
      }
    },
  };
}
