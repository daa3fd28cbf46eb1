import mongoose from 'mongoose';
import { ModelName, UserSchema, type UserModel } from '@directory/schemas';
import { parseRecord, validateUser } from './import-rows';

describe('parseRecord', () => {
  it('maps CSV columns to schema input and splits roles', () => {
    const parsed = parseRecord(
      {
        email: ' Zoe@Example.com ',
        first_name: 'Zoë',
        last_name: 'Ødegård',
        display_name: '',
        title: 'Engineer',
        roles: 'Member|admin',
        status: 'Suspended',
        manager_email: 'BOSS@example.com',
      },
      3,
      4,
    );
    expect(parsed).toMatchObject({
      row: 3,
      line: 4,
      email: 'Zoe@Example.com',
      managerEmail: 'boss@example.com',
      errors: [],
      input: {
        email: 'Zoe@Example.com',
        name: { first: 'Zoë', last: 'Ødegård' },
        title: 'Engineer',
        roles: ['member', 'admin'],
        status: 'suspended',
      },
    });
    expect(parsed.input).not.toHaveProperty('displayName');
  });

  it('accepts a nested name and role lists from NDJSON', () => {
    const parsed = parseRecord({ email: 'a@b.io', name: { first: 'Łukasz', last: 'Wójcik' }, roles: ['admin'] }, 1, 1);
    expect(parsed.errors).toEqual([]);
    expect(parsed.input).toMatchObject({ name: { first: 'Łukasz', last: 'Wójcik' }, roles: ['admin'] });
  });

  it('refuses operator objects and non-string values before they reach a query or a model', () => {
    const parsed = parseRecord(
      { email: { $gt: '' }, name: { first: { $ne: null }, last: 'X' }, phone: 12345, $where: 'sleep(1)', 'a.b': 1 },
      1,
      1,
    );
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        'email: expected a string, got an object',
        'name.first: expected a string, got an object',
        'phone: expected a string, got a number',
        '$where: field names may not start with "$" or contain "."',
        'a.b: field names may not start with "$" or contain "."',
      ]),
    );
    expect(parsed.email).toBeUndefined();
  });

  it('refuses plaintext passwords and self-management, lists unknown keys', () => {
    const parsed = parseRecord(
      { email: 'a@b.io', first_name: 'A', last_name: 'B', password_hash: 'hunter22', manager_email: 'A@b.io', shoe_size: '44' },
      1,
      2,
    );
    expect(parsed.errors).toEqual([
      'manager_email: a user cannot be their own manager',
      expect.stringContaining('password_hash: not an argon2'),
    ]);
    expect(parsed.unknownKeys).toEqual(['shoe_size']);
  });
});

describe('validateUser (schema validators and pre-validate middleware, no database)', () => {
  const connection = mongoose.createConnection();
  const User = connection.model(ModelName.User, UserSchema) as unknown as UserModel;
  afterAll(() => connection.close());

  it('returns a document with the derived keys middleware writes', async () => {
    const result = await validateUser(User, { email: 'Jose@Example.com', name: { first: 'José', last: 'Ñúñez' } });
    expect(result.doc?.toObject()).toMatchObject({
      email: 'jose@example.com',
      sortName: 'nunez jose',
      emailDomain: 'example.com',
      roles: ['member'],
      status: 'active',
    });
  });

  it('reports the schema’s reasons, not the derived-key echoes', async () => {
    const result = await validateUser(User, { email: 'not-an-email', name: { last: 'x'.repeat(101) }, roles: ['root'], status: 'gone' });
    expect(result.errors).toEqual(
      expect.arrayContaining([
        'email: Invalid email address',
        'name.first: Path `name.first` is required.',
        expect.stringMatching(/^name\.last: .*longer than the maximum/),
        expect.stringMatching(/^roles\.0: `root` is not a valid enum value/),
        expect.stringMatching(/^status: `gone` is not a valid enum value/),
      ]),
    );
    expect(result.errors?.some((reason) => reason.startsWith('emailDomain'))).toBe(false);
  });
});
