import { findMongod } from './memory-server';

describe('findMongod', () => {
  it('uses MONGOMS_SYSTEM_BINARY when the file exists', async () => {
    expect(await findMongod({ MONGOMS_SYSTEM_BINARY: process.execPath })).toEqual({ binary: process.execPath });
  });

  it('says so when MONGOMS_SYSTEM_BINARY points nowhere', async () => {
    expect(await findMongod({ MONGOMS_SYSTEM_BINARY: '/nonexistent/mongod' })).toEqual({
      unavailable: 'MONGOMS_SYSTEM_BINARY=/nonexistent/mongod does not exist',
    });
  });

  it('allows a download only when DIRECTORY_ALLOW_MONGOD_DOWNLOAD=1', async () => {
    const allowed = await findMongod({ DIRECTORY_ALLOW_MONGOD_DOWNLOAD: '1' });
    expect(allowed).not.toHaveProperty('unavailable');
    const cached = await findMongod({});
    // Either a binary is already cached on this machine, or the backend is off.
    if ('binary' in cached) expect(cached.binary).toEqual(expect.any(String));
    else expect(cached).toEqual({ unavailable: expect.stringContaining('downloading is not allowed') });
  });
});
