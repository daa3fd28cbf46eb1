import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AuthApiConfig } from '../../config';
import { SigningKeys } from './signing-keys';

const generateRsaKeyPair = promisify(generateKeyPair);

interface KeyLog {
  log(message: string): void;
  warn(message: string): void;
}

/** PEM blocks in one string (AUTH_JWT_PUBLIC_KEYS holds any number of them). */
export function splitPemBlocks(text: string | undefined): string[] {
  return text?.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
}

async function newPrivateKey(): Promise<KeyObject> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return privateKey;
}

/** Development: the key persists in the data dir so tokens survive restarts; created on first start. */
export async function developmentKey(dataDir: string, log: KeyLog): Promise<KeyObject> {
  const file = resolve(join(dataDir, 'auth-api', 'jwt-signing-key.pem'));
  try {
    return createPrivateKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await newPrivateKey();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': a second process starting at the same moment keeps the first one's key.
    await writeFile(file, key.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return createPrivateKey(await readFile(file, 'utf8'));
    throw error;
  }
  log.warn(`Generated a development JWT signing key at ${file}; set AUTH_JWT_PRIVATE_KEY outside development`);
  return key;
}

/**
 * The signing key from AUTH_JWT_PRIVATE_KEY; without it, development generates one into the
 * data dir and tests use a throw-away key (production refuses to start: see config.ts).
 */
export async function loadSigningKeys(config: AuthApiConfig, log: KeyLog): Promise<SigningKeys> {
  let privateKey: KeyObject;
  if (config.AUTH_JWT_PRIVATE_KEY) {
    privateKey = createPrivateKey(config.AUTH_JWT_PRIVATE_KEY);
  } else if (config.NODE_ENV === 'test') {
    privateKey = await newPrivateKey();
    log.log('Using a throw-away JWT signing key (NODE_ENV=test, no AUTH_JWT_PRIVATE_KEY)');
  } else {
    privateKey = await developmentKey(config.DIRECTORY_DATA_DIR, log);
  }
  const extra = splitPemBlocks(config.AUTH_JWT_PUBLIC_KEYS).map((pem) => createPublicKey(pem));
  const keys = SigningKeys.create(privateKey, extra);
  log.log(`Signing access tokens with key ${keys.kid}; JWKS publishes ${keys.jwks().keys.length} key(s)`);
  return keys;
}
