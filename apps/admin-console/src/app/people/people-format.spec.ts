import { factorsText, hasPage, lastSignInText, loadedSentence, matchSentence, people } from './people-format';

describe('people-format', () => {
  it('counts people in plain English', () => {
    expect(people(1)).toBe('1 person');
    expect(people(1234)).toBe('1,234 people');
    expect(matchSentence(0, 0)).toBe('No one matches');
    expect(matchSentence(1, 1)).toBe('1 person matches');
    expect(matchSentence(1234, 50)).toBe('1,234 people match');
    expect(matchSentence(undefined, 50)).toBe('50 people shown');
    expect(loadedSentence(50, 1234)).toBe('50 of 1,234 shown');
  });

  it('names second factors, and says none or unknown', () => {
    expect(factorsText(['totp', 'webauthn'])).toBe('Authenticator app, Passkey');
    expect(factorsText([])).toBe('None');
    expect(factorsText(undefined)).toBe('—');
  });

  it('tells never signed in from not shown', () => {
    const iso = (date: Date) => date.toISOString();
    expect(lastSignInText(null, iso)).toBe('Never');
    expect(lastSignInText(undefined, iso)).toBe('—');
    expect(lastSignInText('2026-11-30T10:00:00.000Z', iso)).toBe('2026-11-30T10:00:00.000Z');
  });

  it('links only people who have a page (not the deleted)', () => {
    expect(hasPage({ status: 'active' })).toBe(true);
    expect(hasPage({ status: 'invited' })).toBe(true);
    expect(hasPage({ status: 'deleted' })).toBe(false);
  });
});
