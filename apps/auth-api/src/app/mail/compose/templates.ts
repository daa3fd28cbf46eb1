import { MailTemplate } from '@directory/schemas';

/** What a message says: subject, plain text and HTML, all from one small template each. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateFacts {
  /** How to greet the recipient ("Ada"). */
  name: string;
  /** The one link the message carries, if any (it holds a one-time token: never logged). */
  link?: string;
  /** How long the link works, in words ("30 minutes"). */
  validFor?: string;
  fromEmail?: string;
  toEmail?: string;
  at?: Date;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

interface Copy {
  subject: string;
  /** Paragraphs before the link. */
  lines: string[];
  /** The button's label, when there is a link. */
  action?: string;
  /** Paragraphs after the link. */
  after: string[];
}

function copyFor(template: MailTemplate, f: TemplateFacts): Copy {
  const ignore = 'If you did not ask for this, ignore this message: nothing changes.';
  switch (template) {
    case MailTemplate.EmailVerification:
      return {
        subject: 'Confirm your email address',
        lines: [`Hello ${f.name},`, 'Please confirm that this is your email address for your Directory account.'],
        action: 'Confirm my email',
        after: [`The link works for ${f.validFor}.`, ignore],
      };
    case MailTemplate.PasswordReset:
      return {
        subject: 'Reset your password',
        lines: [`Hello ${f.name},`, 'Someone (we hope you) asked to reset the password of your Directory account.'],
        action: 'Choose a new password',
        after: [`The link works once, for ${f.validFor}.`, ignore],
      };
    case MailTemplate.PasswordChanged:
      return {
        subject: 'Your password was changed',
        lines: [
          `Hello ${f.name},`,
          `The password of your Directory account was changed${f.at ? ` on ${f.at.toUTCString()}` : ''}. Every device was signed out.`,
        ],
        after: ['If you did not do this, reset your password at once and tell your administrator.'],
      };
    case MailTemplate.Invitation:
      return {
        subject: 'You are invited to Directory',
        lines: [`Hello ${f.name},`, 'An administrator invited you to the Directory. Choose a password to activate your account.'],
        action: 'Accept the invitation',
        after: [`The invitation works for ${f.validFor}.`],
      };
    case MailTemplate.EmailChangeConfirmation:
      return {
        subject: 'Confirm your new email address',
        lines: [`Hello ${f.name},`, `Please confirm that your Directory account should use this address instead of ${f.fromEmail}.`],
        action: 'Confirm the new address',
        after: [`The link works for ${f.validFor}. Confirming signs you out everywhere.`, ignore],
      };
    case MailTemplate.AccountExists:
      return {
        subject: 'Someone tried to register with your address',
        lines: [
          `Hello ${f.name},`,
          'Someone (maybe you) tried to create a Directory account with this address, which already has one. No second account was made.',
        ],
        action: 'Reset my password',
        after: ['If it was you and you forgot your password, the button above starts a reset. Otherwise ignore this message.'],
      };
    case MailTemplate.FactorsReset:
      return {
        subject: 'Your second factors were reset',
        lines: [
          `Hello ${f.name},`,
          `An administrator removed the second factors (authenticator apps, passkeys and recovery codes) of your Directory account${f.at ? ` on ${f.at.toUTCString()}` : ''}. You now sign in with your password alone.`,
        ],
        after: ['Set up a second factor again from your security page. If you did not ask for this, tell your administrator.'],
      };
    case MailTemplate.RecoveryCodeUsed:
      return {
        subject: 'A recovery code was used',
        lines: [
          `Hello ${f.name},`,
          `One of the recovery codes of your Directory account was used to confirm a sign-in${f.at ? ` on ${f.at.toUTCString()}` : ''}. Each code works once.`,
        ],
        after: ['If this was not you, change your password, generate new recovery codes and tell your administrator.'],
      };
    case MailTemplate.EmailChangeNotice:
      return {
        subject: 'Your email address is about to change',
        lines: [
          `Hello ${f.name},`,
          `Someone asked to change the email address of your Directory account from ${f.fromEmail} to ${f.toEmail}. The change happens only if the new address confirms it.`,
        ],
        after: ['If this was not you, change your password and tell your administrator.'],
      };
  }
}

/** Renders one message; every value is escaped in the HTML part. */
export function renderMail(template: MailTemplate, facts: TemplateFacts): RenderedMail {
  const copy = copyFor(template, facts);
  const link = copy.action && facts.link ? facts.link : undefined;
  const text = [...copy.lines, ...(link ? [`${copy.action}: ${link}`] : []), ...copy.after, '— Directory'].join('\n\n');
  const paragraph = (line: string) => `<p>${escapeHtml(line)}</p>`;
  const button = link
    ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#1f4e79;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(copy.action ?? '')}</a></p>` +
      `<p style="font-size:12px;color:#555">Or open this address: ${escapeHtml(link)}</p>`
    : '';
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#222">` +
    `${copy.lines.map(paragraph).join('')}${button}${copy.after.map(paragraph).join('')}<p>— Directory</p></body></html>`;
  return { subject: copy.subject, text, html };
}

/** "30 minutes", "24 hours", "7 days". */
export function describeDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, 'day');
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  return plural(Math.round(seconds / 60), 'minute');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
