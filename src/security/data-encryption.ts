/**
 * Encryption at rest for confidential content (feedback, evaluation packets): AES-256-GCM,
 * a fresh 12-byte IV per value, the row's purpose bound in as additional data so a sealed
 * value copied into another row or column fails to open.
 *
 * The key: TANDEM_DATA_KEY (32 bytes, base64) when set; otherwise derived from
 * TANDEM_SECRET with HKDF-SHA256 (info "tandem data key v1"), so a deployment that sets
 * only the secret still encrypts. Rotating either makes old rows unreadable: keep the key
 * with the database backups, apart from them.
 *
 * Layout of a sealed value: version byte (1) | IV (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DataKey {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('a data key must be 32 bytes');
    this.#key = key;
  }
  /** @internal for seal/open only */
  bytes(): Buffer {
    return this.#key;
  }
}

/** The data key from configuration: an explicit key, or one derived from the signing secret. */
export function dataKeyFrom(options: { dataKey?: string; secret: string }): DataKey {
  if (options.dataKey) return new DataKey(Buffer.from(options.dataKey, 'base64'));
  return new DataKey(Buffer.from(hkdfSync('sha256', options.secret, 'tandem', 'tandem data key v1', 32)));
}

/** Encrypts a JSON value; `purpose` ("feedback:<cycle>:<role>") must be given again to open it. */
export function seal(key: DataKey, purpose: string, value: unknown): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes(), iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

export class SealedDataError extends Error {
  constructor(reason: string) {
    super(`cannot open sealed data: ${reason}`);
    this.name = 'SealedDataError';
  }
}

export function open<T>(key: DataKey, purpose: string, sealed: Buffer): T {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new SealedDataError('unknown format');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.bytes(), iv);
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    const plain = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new SealedDataError('wrong key, wrong purpose, or tampered');
  }
}
