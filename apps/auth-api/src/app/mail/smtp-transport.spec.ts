import { backoffMs } from './outbox-sender';
import { classifySmtpError, envelopeAddress, smtpTimeoutMs } from './smtp-transport';

describe('classifySmtpError', () => {
  it('a 5xx reply is permanent, a 4xx transient, whatever had been handed over', () => {
    for (const handedOver of [false, true]) {
      expect(classifySmtpError({ responseCode: 550, response: '550 5.1.1 No such user', command: 'DATA' }, handedOver)).toEqual({
        kind: 'permanent',
        reason: 'SMTP 550 at DATA 550 5.1.1 No such user',
      });
      expect(classifySmtpError({ responseCode: 421, response: '421 Try later\r\nmore', command: 'RCPT TO' }, handedOver)).toMatchObject({
        kind: 'transient',
        reason: 'SMTP 421 at RCPT TO 421 Try later',
      });
    }
  });

  it('without a reply: transient before the message was handed over, unknown after', () => {
    const timeout = { code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' };
    expect(classifySmtpError(timeout, false)).toEqual({ kind: 'transient', reason: 'ETIMEDOUT at CONN Timeout' });
    expect(classifySmtpError(timeout, true)).toEqual({ kind: 'unknown', reason: 'ETIMEDOUT at CONN Timeout' });
    expect(classifySmtpError(new Error('socket hang up'), false)).toMatchObject({ kind: 'transient', reason: 'socket hang up' });
  });
});

describe('backoffMs', () => {
  it('doubles per attempt from OUTBOX_BACKOFF_MS, within ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(1000, attempt, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(1000, 3, () => 0)).toBe(3200);
    expect(backoffMs(1000, 3, () => 1)).toBe(4800);
  });
});

describe('SMTP settings', () => {
  it('timeouts are an eighth of the lease, between 0.2 and 10 s', () => {
    expect(smtpTimeoutMs(1)).toBe(200);
    expect(smtpTimeoutMs(3)).toBe(375);
    expect(smtpTimeoutMs(60)).toBe(7500);
    expect(smtpTimeoutMs(3600)).toBe(10_000);
  });

  it('the envelope sender is the bare address of MAIL_FROM', () => {
    expect(envelopeAddress('Directory <no-reply@directory.localhost>')).toBe('no-reply@directory.localhost');
    expect(envelopeAddress('ops@example.com')).toBe('ops@example.com');
  });
});
