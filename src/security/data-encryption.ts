/**
 * Encryption at rest for confidential content (feedback, evaluation packets, help requests):
 * AES-256-GCM, a fresh 12-byte IV per value, the row's purpose bound in as additional data so
 * a sealed value copied into another row or column fails to open.
 *
 * The keys: TANDEM_DATA_KEY, a comma-separated list of 32-byte base64 keys, newest first. The
 * newest seals; every key opens. Each sealed value names the key that sealed it (its id, a
 * fingerprint of the key), so rotation is: put a new key first, keep the old ones, run
 * `tandem rotate-data-key` (src/security/rotate-data-key.ts) to re-seal every row under the
 * newest, then drop the old keys. In production (NODE_ENV=production) the key is required;
 * on a dev machine it is derived from TANDEM_SECRET with HKDF-SHA256 (info "tandem data key v1").
 *
 * Layouts of a sealed value:
 * - v2: version (2) | key id length (1) | key id (ASCII) | IV (12) | tag (16) | ciphertext
 * - v1 (before key ids): version (1) | IV (12) | tag (16) | ciphertext — opened by trying each key.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const V1 = 1;
const V2 = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key's id: a short fingerprint, so the id in a row never reveals the key. */
export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update('tandem data key id').update(key).digest('base64url').slice(0, 11);
}

/** The data keys of a deployment, newest first: the newest seals, every one opens. */
export class DataKey {
  readonly #keys: { id: string; key: Buffer }[];
  constructor(keys: Buffer | Buffer[]) {
    const list = Array.isArray(keys) ? keys : [keys];
    if (list.length === 0) throw new Error('at least one data key is needed');
    for (const key of list) if (key.length !== 32) throw new Error('a data key must be 32 bytes');
    this.#keys = list.map((key) => ({ id: dataKeyId(key), key }));
  }
  /** The id of the key new values are sealed with. */
  get currentId(): string {
    return this.#keys[0]!.id;
  }
  /** @internal for seal/open only */
  current(): { id: string; key: Buffer } {
    return this.#keys[0]!;
  }
  /** @internal for seal/open only */
  byId(id: string): Buffer | undefined {
    return this.#keys.find((k) => k.id === id)?.key;
  }
  /** @internal for seal/open only */
  all(): Buffer[] {
    return this.#keys.map((k) => k.key);
  }
}

/** Splits TANDEM_DATA_KEY's list (validated in src/config/env.ts). */
export function parseDataKeys(value: string): Buffer[] {
  return value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => Buffer.from(k, 'base64'));
}

/** The data keys from configuration: TANDEM_DATA_KEY's list, or (dev) one derived from each signing secret. */
export function dataKeyFrom(options: { dataKey?: string; secret: string }): DataKey {
  if (options.dataKey) return new DataKey(parseDataKeys(options.dataKey));
  return new DataKey(options.secret.split(',').map((s) => Buffer.from(hkdfSync('sha256', s, 'tandem', 'tandem data key v1', 32))));
}

/** Encrypts a JSON value under the newest key; `purpose` ("feedback:<cycle>:<role>") must be given again to open it. */
export function seal(key: DataKey, purpose: string, value: unknown): Buffer {
  const { id, key: bytes } = key.current();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', bytes, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const idBytes = Buffer.from(id, 'ascii');
  return Buffer.concat([Buffer.from([V2, idBytes.length]), idBytes, iv, cipher.getAuthTag(), ciphertext]);
}

export class SealedDataError extends Error {
  constructor(reason: string) {
    super(`cannot open sealed data: ${reason}`);
    this.name = 'SealedDataError';
  }
}

/** The id of the key that sealed this value; null for a value sealed before key ids (v1). */
export function sealedKeyId(sealed: Buffer): string | null {
  if (sealed[0] !== V2 || sealed.length < 2) return null;
  return sealed.subarray(2, 2 + sealed[1]!).toString('ascii');
}

function decrypt(bytes: Buffer, purpose: string, body: Buffer): Buffer | null {
  if (body.length < IV_BYTES + TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', bytes, body.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(body.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

export function open<T>(key: DataKey, purpose: string, sealed: Buffer): T {
  let plain: Buffer | null = null;
  if (sealed[0] === V2 && sealed.length >= 2) {
    const id = sealedKeyId(sealed)!;
    const bytes = key.byId(id);
    if (!bytes) throw new SealedDataError(`sealed with data key ${id}, which is not in TANDEM_DATA_KEY`);
    plain = decrypt(bytes, purpose, sealed.subarray(2 + sealed[1]!));
  } else if (sealed[0] === V1) {
    for (const bytes of key.all()) {
      plain = decrypt(bytes, purpose, sealed.subarray(1));
      if (plain) break;
    }
  } else {
    throw new SealedDataError('unknown format');
  }
  if (!plain) throw new SealedDataError('wrong key, wrong purpose, or tampered');
  return JSON.parse(plain.toString('utf8')) as T;
}
