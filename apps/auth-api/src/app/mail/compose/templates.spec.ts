import { MAIL_TEMPLATES, MailTemplate } from '@directory/schemas';
import { accountLink, AccountPage } from './account-links';
import { describeDuration, renderMail } from './templates';

describe('mail templates', () => {
  it('every template renders a subject, a text part and an HTML part', () => {
    for (const template of MAIL_TEMPLATES) {
      const mail = renderMail(template, {
        name: 'Ada',
        link: 'https://d.test/account/x#token=t',
        validFor: '1 hour',
        fromEmail: 'a@x.test',
        toEmail: 'b@x.test',
      });
      expect(mail.subject.length).toBeGreaterThan(5);
      expect(mail.text).toContain('Hello Ada,');
      expect(mail.html).toMatch(/^<!doctype html>/);
    }
  });

  it('carries the link only in messages that act on it', () => {
    const link = 'https://d.test/account/reset-password#token=abc';
    expect(renderMail(MailTemplate.PasswordReset, { name: 'Ada', link, validFor: '30 minutes' }).text).toContain(link);
    expect(renderMail(MailTemplate.PasswordChanged, { name: 'Ada', link }).text).not.toContain(link);
    expect(
      renderMail(MailTemplate.EmailChangeNotice, { name: 'Ada', link, fromEmail: 'a@x.test', toEmail: 'b@x.test' }).html,
    ).not.toContain(link);
  });

  it('escapes every value in the HTML part (a name is user input)', () => {
    const mail = renderMail(MailTemplate.Invitation, {
      name: '<img src=x onerror=alert(1)>',
      link: 'https://d.test/a#token="x"',
      validFor: '7 days',
    });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('href="https://d.test/a#token=&quot;x&quot;"');
  });

  it('says how long a link works in words', () => {
    expect(describeDuration(30 * 60)).toBe('30 minutes');
    expect(describeDuration(3600)).toBe('1 hour');
    expect(describeDuration(24 * 3600)).toBe('1 day');
    expect(describeDuration(7 * 86_400)).toBe('7 days');
  });

  it('puts the token in the fragment, which browsers never send to a server', () => {
    expect(accountLink('https://d.test', AccountPage.ResetPassword, 'tok')).toBe('https://d.test/account/reset-password#token=tok');
  });
});
