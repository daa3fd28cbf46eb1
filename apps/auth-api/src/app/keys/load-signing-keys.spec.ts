import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@directory/platform';
import { configSchema } from '../../config';
import { developmentKey, loadSigningKeys, splitPemBlocks } from './load-signing-keys';

const quiet = { log: jest.fn(), warn: jest.fn() };
const pem = (bits = 2048) =>
  generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('signing keys', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-keys-'));
    jest.clearAllMocks();
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('development: generates a key into the data dir on first start (and says so), reuses it afterwards', async () => {
    const first = await developmentKey(dir, quiet);
    const file = join(dir, 'auth-api', 'jwt-signing-key.pem');
    expect(quiet.warn).toHaveBeenCalledWith(expect.stringContaining(file));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await developmentKey(dir, quiet);
    expect(second.export({ format: 'pem', type: 'pkcs8' })).toEqual(first.export({ format: 'pem', type: 'pkcs8' }));
    expect(quiet.warn).toHaveBeenCalledTimes(1);
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('NODE_ENV=development without AUTH_JWT_PRIVATE_KEY: the key pair lives in DIRECTORY_DATA_DIR, announced in the log', async () => {
    const config = loadConfig(configSchema, { MONGODB_URI: 'mongodb://x/', NODE_ENV: 'development', DIRECTORY_DATA_DIR: dir });
    const first = await loadSigningKeys(config, quiet);
    expect(quiet.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Generated a development JWT signing key at .*auth-api\/jwt-signing-key\.pem/),
    );
    expect(quiet.log).toHaveBeenCalledWith(`Signing access tokens with key ${first.kid}; JWKS publishes 1 key(s)`);
    const restarted = await loadSigningKeys(config, quiet);
    expect(restarted.kid).toBe(first.kid); // tokens survive a restart
    expect(quiet.warn).toHaveBeenCalledTimes(1);
  });

  it('publishes the signing key and extra rotation keys, each with a thumbprint kid, never private parts', async () => {
    const previous = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const config = loadConfig(configSchema, {
      MONGODB_URI: 'mongodb://x/',
      AUTH_JWT_PRIVATE_KEY: pem(),
      AUTH_JWT_PUBLIC_KEYS: previous,
    });
    const keys = await loadSigningKeys(config, quiet);
    const { keys: published } = keys.jwks();
    expect(published).toHaveLength(2);
    expect(published[0].kid).toBe(keys.kid);
    for (const key of published) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(keys.publicKeyPem(key.kid)).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    }
    expect(keys.publicKeyPem('unknown')).toBeUndefined();
  });

  it('refuses a weak or non-RSA signing key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const key of [pem(1024), ec]) {
      const config = loadConfig(configSchema, { MONGODB_URI: 'mongodb://x/', AUTH_JWT_PRIVATE_KEY: key });
      await expect(loadSigningKeys(config, quiet)).rejects.toThrow(/RSA key of at least 2048 bits/);
    }
  });

  it('splits concatenated PEM blocks', () => {
    const a = '-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----';
    expect(splitPemBlocks(`${a}\n${a}`)).toEqual([a, a]);
    expect(splitPemBlocks(undefined)).toEqual([]);
  });
});
