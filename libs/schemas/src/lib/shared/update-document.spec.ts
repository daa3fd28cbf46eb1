import { UnsupportedUpdateError, assignmentTo, asUpdateDocument, withSet, withSetOnInsert, withoutPaths } from './update-document';

describe('withoutPaths', () => {
  it('drops the paths, and fields inside them, from every operator and the implicit $set', () => {
    const update = {
      sortName: 'a',
      'searchKeys.0': 'x',
      title: 'Dr',
      $set: { sortName: 'b', department: 'R&D' },
      $unset: { searchKeys: 1 },
      $push: { searchKeys: 'y' },
    };
    expect(withoutPaths(update, ['sortName', 'searchKeys'])).toEqual({
      title: 'Dr',
      $set: { department: 'R&D' },
    });
  });

  it('keeps fields that merely share a prefix', () => {
    expect(withoutPaths({ $set: { sortNameX: 1 } }, ['sortName'])).toEqual({
      $set: { sortNameX: 1 },
    });
  });

  it('does not modify its input', () => {
    const update = { $set: { sortName: 'a' } };
    withoutPaths(update, ['sortName']);
    expect(update).toEqual({ $set: { sortName: 'a' } });
  });
});

describe('assignmentTo', () => {
  it('finds a top-level, $set, dotted or parent-object assignment', () => {
    expect(assignmentTo({ displayName: 'A' }, 'displayName')).toEqual({
      assigned: true,
      value: 'A',
    });
    expect(assignmentTo({ $set: { 'name.first': 'B' } }, 'name.first')).toEqual({ assigned: true, value: 'B' });
    expect(assignmentTo({ $set: { name: { first: 'C', last: 'D' } } }, 'name.last')).toEqual({ assigned: true, value: 'D' });
    expect(assignmentTo({ name: { first: 'C' } }, 'name.last')).toEqual({
      assigned: true,
      value: null,
    });
  });

  it('reads $unset of the path or its parent as null', () => {
    expect(assignmentTo({ $unset: { displayName: '' } }, 'displayName')).toEqual({ assigned: true, value: null });
    expect(assignmentTo({ $unset: { name: 1 } }, 'name.first')).toEqual({
      assigned: true,
      value: null,
    });
  });

  it('reports untouched paths', () => {
    expect(assignmentTo({ $set: { title: 'x' }, $inc: { logins: 1 } }, 'email')).toEqual({ assigned: false });
    expect(assignmentTo({ $set: { 'name.first': 'x' } }, 'name.last')).toEqual({
      assigned: false,
    });
  });

  it('refuses changes it cannot follow', () => {
    expect(() => assignmentTo({ $rename: { displayName: 'title' } }, 'displayName')).toThrow(UnsupportedUpdateError);
    expect(() => assignmentTo({ $rename: { title: 'displayName' } }, 'displayName')).toThrow(UnsupportedUpdateError);
    expect(() => assignmentTo({ $setOnInsert: { email: 'a@b.co' } }, 'email')).toThrow(UnsupportedUpdateError);
    expect(() => assignmentTo({ $set: { 'email.x': 1 } }, 'email')).toThrow(UnsupportedUpdateError);
  });
});

describe('withSet / withSetOnInsert / asUpdateDocument', () => {
  it('merge into an existing operator without touching the input', () => {
    const update = { $set: { a: 1 }, b: 2 };
    expect(withSet(update, { c: 3 })).toEqual({ $set: { a: 1, c: 3 }, b: 2 });
    expect(withSetOnInsert(update, { d: 4 })).toEqual({
      $set: { a: 1 },
      b: 2,
      $setOnInsert: { d: 4 },
    });
    expect(update).toEqual({ $set: { a: 1 }, b: 2 });
  });

  it('refuses aggregation-pipeline updates', () => {
    expect(asUpdateDocument(null, 'users')).toBeNull();
    expect(() => asUpdateDocument([{ $set: { a: 1 } }], 'users')).toThrow(UnsupportedUpdateError);
  });
});
