import { itRequiresMongo, requireRealMongo } from './require-real-mongo';

describe('requireRealMongo', () => {
  const saved = { ...process.env };
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    process.env = { ...saved };
  });

  it('returns true quietly on MongoDB', () => {
    process.env['DIRECTORY_DB_REAL_MONGO'] = '1';
    process.env['DIRECTORY_DB_BACKEND'] = 'testcontainers';
    expect(requireRealMongo('uses $lookup', 'joins managers')).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it('prints why it skips on FerretDB', () => {
    process.env['DIRECTORY_DB_REAL_MONGO'] = '0';
    process.env['DIRECTORY_DB_BACKEND'] = 'ferretdb';
    expect(requireRealMongo('uses $lookup', 'joins managers')).toBe(false);
    expect(warn).toHaveBeenCalledWith('[skip] joins managers: requires MongoDB (uses $lookup); backend is ferretdb');
  });

  it('names the server behind a MONGODB_URI, and defaults the name to the test file', () => {
    process.env['DIRECTORY_DB_REAL_MONGO'] = '0';
    process.env['DIRECTORY_DB_BACKEND'] = 'uri';
    process.env['DIRECTORY_DB_VERSION'] = '7.0.42 (FerretDB)';
    expect(requireRealMongo('collation')).toBe(false);
    expect(warn).toHaveBeenCalledWith('[skip] require-real-mongo.spec.ts: requires MongoDB (collation); backend is uri, 7.0.42 (FerretDB)');
  });
});

// Runs on MongoDB; on FerretDB it shows up as skipped, with the reason printed.
itRequiresMongo('itRequiresMongo runs the test on MongoDB', 'demonstrates the skip helper', () => {
  expect(process.env['DIRECTORY_DB_REAL_MONGO']).toBe('1');
});
