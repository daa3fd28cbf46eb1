import fc from 'fast-check';
import { Prng } from '../shared/prng';
import { DEPARTMENTS } from './name-pool';
import { buildOrgTree, EXECUTIVE, type OrgTree } from './org-tree';

function assertTree(tree: OrgTree): void {
  const roots = [];
  for (let i = 0; i < tree.size; i++) {
    const manager = tree.managerOf[i];
    if (manager === -1) roots.push(i);
    // Edges point to smaller indexes only, which rules out cycles ...
    else expect(manager).toBeLessThan(i);
  }
  expect(roots).toEqual([0]);
  // ... and walking up from every user reaches the root within `depth` steps.
  for (let i = 0; i < tree.size; i++) {
    let steps = 0;
    for (let at = i; tree.managerOf[at] !== -1; at = tree.managerOf[at]) steps++;
    expect(steps).toBe(tree.level[i]);
    expect(steps).toBeLessThanOrEqual(tree.depth);
  }
}

describe('buildOrgTree', () => {
  it('has one root, no cycles, and reports in their manager’s department', () => {
    const tree = buildOrgTree(2_000, new Prng(1));
    assertTree(tree);
    expect(tree.department[0]).toBe(EXECUTIVE);
    for (let i = 1; i < tree.size; i++) {
      const manager = tree.managerOf[i];
      if (manager > 0) expect(tree.department[i]).toBe(tree.department[manager]);
    }
  });

  it('stays a tree for any size and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer(), (size, seed) => {
        assertTree(buildOrgTree(size, new Prng(seed)));
      }),
      { numRuns: 60 },
    );
  });

  it('is 4-6 levels deep for a large company and uses every department', () => {
    const tree = buildOrgTree(100_000, new Prng(42));
    expect(tree.depth).toBeGreaterThanOrEqual(4);
    expect(tree.depth).toBeLessThanOrEqual(6);
    const sizes = new Map<number, number>();
    for (let i = 0; i < tree.size; i++) sizes.set(tree.department[i], (sizes.get(tree.department[i]) ?? 0) + 1);
    expect(sizes.size).toBe(DEPARTMENTS.length + 1);
    // Span differs by department, so sizes differ: Engineering is the largest.
    const engineering = sizes.get(DEPARTMENTS.findIndex((d) => d.name === 'Engineering')) ?? 0;
    expect(Math.max(...sizes.values())).toBe(engineering);
  });

  it('is deterministic', () => {
    const a = buildOrgTree(500, new Prng(9));
    const b = buildOrgTree(500, new Prng(9));
    expect(Array.from(a.managerOf)).toEqual(Array.from(b.managerOf));
  });
});
