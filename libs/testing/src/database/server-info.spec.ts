import { describeServer, redactUri } from './server-info';

describe('describeServer', () => {
  it('shows MongoDB versions plainly', () => {
    expect(describeServer({ version: '8.0.4', isRealMongo: true })).toBe('8.0.4');
  });

  it('names FerretDB, preferring the version it reports over the hint', () => {
    expect(describeServer({ version: '7.0.42', isRealMongo: false, ferretDbVersion: 'v2.0.0' }, 'FerretDB v1')).toBe(
      '7.0.42 (FerretDB v2.0.0)',
    );
    expect(describeServer({ version: '7.0.42', isRealMongo: false, ferretDbVersion: 'unknown' }, 'FerretDB v1.24.2')).toBe(
      '7.0.42 (FerretDB v1.24.2)',
    );
    expect(describeServer({ version: '7.0.42', isRealMongo: false, ferretDbVersion: 'unknown' })).toBe('7.0.42 (FerretDB)');
  });
});

describe('redactUri', () => {
  it('hides passwords only', () => {
    expect(redactUri('mongodb://app:s3cr%40t@db:27017/x?authSource=admin')).toBe('mongodb://app:***@db:27017/x?authSource=admin');
    expect(redactUri('mongodb+srv://app:pw@cluster.example.net/')).toBe('mongodb+srv://app:***@cluster.example.net/');
    expect(redactUri('mongodb://127.0.0.1:27017/')).toBe('mongodb://127.0.0.1:27017/');
  });
});
