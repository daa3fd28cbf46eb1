import { eventActor, listInWords, summarizeEvent, type AuditEvent } from './event-summary';

const event = (fields: Partial<AuditEvent> & Pick<AuditEvent, 'kind'>): AuditEvent => ({
  id: 'e1',
  at: '2026-12-01T03:00:00.000Z',
  ...fields,
});

describe('summarizeEvent', () => {
  it('says which roles were before and after a RoleChanged', () => {
    expect(summarizeEvent(event({ kind: 'RoleChanged', from: ['member'], to: ['member', 'admin'] }))).toBe(
      'Roles changed from member to member and admin',
    );
    expect(summarizeEvent(event({ kind: 'RoleChanged', from: ['admin', 'member'], to: ['member'] }))).toBe(
      'Roles changed from admin and member to member',
    );
  });

  it('names suspensions, restores, deletions and revoked invitations from StatusChanged', () => {
    expect(summarizeEvent(event({ kind: 'StatusChanged', from: 'active', to: 'suspended' }))).toBe('Suspended');
    expect(summarizeEvent(event({ kind: 'StatusChanged', from: 'suspended', to: 'active' }))).toBe('Restored (suspended → active)');
    expect(summarizeEvent(event({ kind: 'StatusChanged', from: 'active', to: 'deleted' }))).toBe('Deleted');
    expect(summarizeEvent(event({ kind: 'StatusChanged', from: 'invited', to: 'deleted' }))).toBe('Invitation revoked');
    expect(summarizeEvent(event({ kind: 'StatusChanged', from: 'deleted', to: 'active' }))).toBe('Status changed from deleted to active');
  });

  it('lists the changed profile fields in words, once each', () => {
    expect(summarizeEvent(event({ kind: 'ProfileUpdated', fields: ['department', 'title'] }))).toBe(
      'Profile updated: department and title',
    );
    expect(summarizeEvent(event({ kind: 'ProfileUpdated', fields: ['displayName', 'managerId', 'name.first', 'phone'] }))).toBe(
      'Profile updated: display name, manager, first name and phone',
    );
    expect(summarizeEvent(event({ kind: 'ProfileUpdated', fields: [] }))).toBe('Profile updated');
  });

  it('counts the sessions an admin ended', () => {
    expect(summarizeEvent(event({ kind: 'SessionsEnded', count: 3 }))).toBe('All sessions ended (3 were active)');
    expect(summarizeEvent(event({ kind: 'SessionsEnded', count: 1 }))).toBe('All sessions ended (1 was active)');
    expect(summarizeEvent(event({ kind: 'SessionsEnded' }))).toBe('All sessions ended');
  });

  it('explains sign-in failures and factor events', () => {
    expect(summarizeEvent(event({ kind: 'LoginFailed', reason: 'bad_password' }))).toBe('Sign-in failed: wrong password');
    expect(summarizeEvent(event({ kind: 'FactorEnrolled', factorType: 'totp' }))).toBe('Added an authenticator app');
    expect(summarizeEvent(event({ kind: 'FactorRemoved', factorType: 'webauthn' }))).toBe('Removed a passkey');
    expect(summarizeEvent(event({ kind: 'FactorFailed', factorType: 'recovery_code' }))).toBe('Second factor refused: a recovery code');
    expect(summarizeEvent(event({ kind: 'FactorsReset' }))).toBe('Second factors reset');
    expect(summarizeEvent(event({ kind: 'MailFailed', template: 'password-reset', reason: '550 mailbox unavailable' }))).toBe(
      'Mail failed: password reset (550 mailbox unavailable)',
    );
  });

  it('turns an unknown kind into words instead of failing', () => {
    expect(summarizeEvent(event({ kind: 'ApiKeyCreated' }))).toBe('Api Key Created');
  });
});

describe('listInWords', () => {
  it('joins with commas and a final "and"', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['a'])).toBe('a');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('eventActor', () => {
  const names = new Map([['admin1', 'Ana Lopez']]);
  it('names the admin, says "you" for the signed-in one, and nothing for the person themselves', () => {
    expect(eventActor(event({ kind: 'RoleChanged', by: 'admin1' }), names, 'me')).toBe('Ana Lopez');
    expect(eventActor(event({ kind: 'RoleChanged', by: 'me' }), names, 'me')).toBe('you');
    expect(eventActor(event({ kind: 'RoleChanged', by: 'gone' }), names, 'me')).toBe('an admin no longer in the directory');
    expect(eventActor(event({ kind: 'RoleChanged', by: 'admin1' }), undefined, 'me')).toBe('an admin');
    expect(eventActor(event({ kind: 'LoginSucceeded' }), names, 'me')).toBeUndefined();
  });
});
