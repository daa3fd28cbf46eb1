import { baseConfigSchema, loadConfig } from './load-config';

const base = { MONGODB_URI: 'mongodb://localhost:27017/' };
const trustProxy = (value?: string) => loadConfig(baseConfigSchema, { ...base, TRUST_PROXY: value }).TRUST_PROXY;

describe('TRUST_PROXY (Express trust proxy, issue 12)', () => {
  it('is unset by default: no peer may name the client address', () => {
    expect(trustProxy()).toBeUndefined();
  });

  it('takes a hop count or an explicit list of addresses, CIDR blocks and Express range names', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('loopback')).toEqual(['loopback']);
    expect(trustProxy(' 10.0.0.1, 192.168.0.0/16 ,fd00::/8,uniquelocal')).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'fd00::/8',
      'uniquelocal',
    ]);
  });

  it('refuses "trust everyone" and anything that is not an address, naming the bad entries', () => {
    expect(() => trustProxy('true')).toThrow(/TRUST_PROXY must be a hop count or a comma-separated list .* \(not: true\)/);
    expect(() => trustProxy('10.0.0.1,proxy.internal')).toThrow(/\(not: proxy\.internal\)/);
    expect(() => trustProxy('10.0.0.0/33')).toThrow(/\(not: 10\.0\.0\.0\/33\)/);
    expect(() => trustProxy(',')).toThrow(/TRUST_PROXY must be a hop count/);
  });
});
