import fc from 'fast-check';
import { deriveSeed, hashSeed, mulberry32, Prng } from './prng';

const take = (next: () => number, count: number) => Array.from({ length: count }, () => next());

describe('mulberry32', () => {
  it('returns the same sequence for the same seed', () => {
    expect(take(mulberry32(42), 20)).toEqual(take(mulberry32(42), 20));
  });

  it('is pinned: changing the algorithm would silently change every seeded database', () => {
    expect(take(mulberry32(1), 3).map((x) => x.toFixed(10))).toEqual(['0.6270739406', '0.0027357212', '0.5274470400']);
    expect(hashSeed('42')).toBe(0x87e38583);
    expect(hashSeed('directory')).toBe(0x11913588);
  });

  it('gives different sequences for different seeds', () => {
    expect(take(mulberry32(1), 5)).not.toEqual(take(mulberry32(2), 5));
    expect(hashSeed('a')).not.toBe(hashSeed('b'));
  });

  it('stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const values = take(mulberry32(seed), 50);
        return values.every((x) => x >= 0 && x < 1);
      }),
    );
  });
});

describe('deriveSeed', () => {
  it('is deterministic and separates streams and indexes', () => {
    expect(deriveSeed(7, 1, 99)).toBe(deriveSeed(7, 1, 99));
    const seeds = new Set<number>();
    for (let stream = 1; stream <= 5; stream++) for (let index = 0; index < 2_000; index++) seeds.add(deriveSeed(7, stream, index));
    expect(seeds.size).toBe(10_000);
  });
});

describe('Prng', () => {
  it('draws integers within inclusive bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, width) => {
        const prng = new Prng(seed);
        return take(() => prng.int(min, min + width), 20).every((n) => Number.isInteger(n) && n >= min && n <= min + width);
      }),
    );
  });

  it('respects weights roughly', () => {
    const prng = new Prng(3);
    const draws = Array.from({ length: 10_000 }, () =>
      prng.weighted([
        { value: 'a', weight: 9 },
        { value: 'b', weight: 1 },
      ]),
    );
    const share = draws.filter((d) => d === 'a').length / draws.length;
    expect(share).toBeGreaterThan(0.87);
    expect(share).toBeLessThan(0.93);
  });
});
