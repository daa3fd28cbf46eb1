import { DEPARTMENTS } from './name-pool';
import type { Prng } from '../shared/prng';

/** Department index of the CEO (who belongs to no functional department). */
export const EXECUTIVE = -1;

/**
 * The reporting structure of a seeded company, indexed by user index (= signup order).
 * `managerOf[i] < i` for every user but the root: a manager always signed up before their
 * reports, and since every edge points to a smaller index the graph cannot contain a cycle.
 */
export interface OrgTree {
  size: number;
  /** Index of the manager, -1 for the CEO at index 0. */
  managerOf: Int32Array;
  /** 0 for the CEO, 1 for department heads, ... */
  level: Uint8Array;
  /** Index into DEPARTMENTS, or EXECUTIVE. */
  department: Int8Array;
  reportCount: Uint32Array;
  depth: number;
}

/**
 * Builds the tree level by level (breadth first): the CEO, one head per department, then each
 * manager of a level gets a department-specific number of reports until `size` people are
 * placed. Each level is shuffled before it hires, so when the last level runs out of people it
 * runs out evenly across departments. 100,000 people come out 6 levels deep, 300 people 3.
 *
 * The tree is built over positions, then positions are ordered into signup order so that
 * managers join before their reports: a position's join key is the max of its manager's key
 * and a random draw, so deeper levels (mostly individual contributors) tend to join later, the
 * way a company grows by hiring.
 */
export function buildOrgTree(size: number, prng: Prng): OrgTree {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  const parent = new Int32Array(size).fill(-1);
  const level = new Uint8Array(size);
  const department = new Int8Array(size).fill(EXECUTIVE);

  let next = 1;
  let current: number[] = [];
  for (let d = 0; d < DEPARTMENTS.length && next < size; d++, next++) {
    parent[next] = 0;
    level[next] = 1;
    department[next] = d;
    current.push(next);
  }
  while (next < size && current.length > 0) {
    const hiring = shuffled(current, prng);
    const nextLevel: number[] = [];
    for (const manager of hiring) {
      const spec = DEPARTMENTS[department[manager]];
      const span = spec ? prng.int(spec.span[0], spec.span[1]) : 0;
      for (let k = 0; k < span && next < size; k++, next++) {
        parent[next] = manager;
        level[next] = level[manager] + 1;
        department[next] = department[manager];
        nextLevel.push(next);
      }
      if (next >= size) break;
    }
    current = nextLevel;
  }

  // Join order: key(child) = max(key(manager), draw); ties broken by position, and a manager's
  // position is always smaller than its reports', so sorting keeps managers first.
  const key = new Float64Array(size);
  key[0] = -1;
  for (let pos = 1; pos < size; pos++) key[pos] = Math.max(key[parent[pos]], prng.float());
  const order = Array.from({ length: size }, (_, pos) => pos).sort((a, b) => key[a] - key[b] || a - b);
  const indexOf = new Int32Array(size);
  order.forEach((pos, index) => (indexOf[pos] = index));

  const tree: OrgTree = {
    size,
    managerOf: new Int32Array(size).fill(-1),
    level: new Uint8Array(size),
    department: new Int8Array(size),
    reportCount: new Uint32Array(size),
    depth: 0,
  };
  order.forEach((pos, index) => {
    const manager = parent[pos];
    tree.managerOf[index] = manager < 0 ? -1 : indexOf[manager];
    tree.level[index] = level[pos];
    tree.department[index] = department[pos];
    if (manager >= 0) tree.reportCount[indexOf[manager]]++;
    tree.depth = Math.max(tree.depth, level[pos]);
  });
  return tree;
}

function shuffled<T>(items: readonly T[], prng: Prng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
