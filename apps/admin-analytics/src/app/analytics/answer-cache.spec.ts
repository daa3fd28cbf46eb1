import { AnswerCache } from './answer-cache';

describe('AnswerCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('reuses an answer until it is ttl old, then computes again', async () => {
    const cache = new AnswerCache(100, 10, now);
    const compute = jest.fn(async () => clock);
    expect(await cache.getOrCompute('a', compute)).toBe(1_000);
    clock += 99;
    expect(await cache.getOrCompute('a', compute)).toBe(1_000);
    clock += 1;
    expect(await cache.getOrCompute('a', compute)).toBe(1_100);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('shares one computation among identical requests in flight', async () => {
    const cache = new AnswerCache(0, 10, now);
    let release!: (value: number) => void;
    const compute = jest.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const both = Promise.all([cache.getOrCompute('a', compute), cache.getOrCompute('a', compute)]);
    release(7);
    expect(await both).toEqual([7, 7]);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('keeps nothing with ttl 0, and never keeps a failure', async () => {
    const cache = new AnswerCache(0, 10, now);
    const compute = jest.fn(async () => 1);
    await cache.getOrCompute('a', compute);
    await cache.getOrCompute('a', compute);
    expect(compute).toHaveBeenCalledTimes(2);

    const caching = new AnswerCache(1_000, 10, now);
    const failing = jest.fn().mockRejectedValueOnce(new Error('timeout')).mockResolvedValueOnce(2);
    await expect(caching.getOrCompute('b', failing)).rejects.toThrow('timeout');
    expect(await caching.getOrCompute('b', failing)).toBe(2);
  });

  it('drops the oldest answer past maxEntries', async () => {
    const cache = new AnswerCache(1_000, 2, now);
    const compute = jest.fn(async () => clock);
    await cache.getOrCompute('a', compute);
    await cache.getOrCompute('b', compute);
    await cache.getOrCompute('c', compute);
    await cache.getOrCompute('b', compute);
    expect(compute).toHaveBeenCalledTimes(3);
    await cache.getOrCompute('a', compute);
    expect(compute).toHaveBeenCalledTimes(4);
  });
});
