import { createTransport, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Readable } from 'node:stream';

/** One message as it goes over SMTP. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<…@…>`, stable for a (message, attempt). */
  messageId: string;
}

/**
 * How an SMTP delivery ended:
 * - `sent`: the server accepted the message (2xx to its DATA);
 * - `permanent`: refused with a 5xx (retrying cannot help);
 * - `transient`: refused with a 4xx, or failed before the message had been handed over (no
 *   connection, timeout, connection lost): nothing was delivered, a retry is safe;
 * - `unknown`: the whole message had been handed over and then the connection failed before the
 *   server's reply: it may or may not have been accepted, so retrying could deliver it twice.
 */
export type SmtpOutcome = { kind: 'sent'; response: string } | { kind: 'permanent' | 'transient' | 'unknown'; reason: string };

interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** Each SMTP timeout: an eighth of the lease (a delivery is a handful of round trips), 0.2–10 s. */
export function smtpTimeoutMs(leaseSeconds: number): number {
  return Math.min(10_000, Math.max(200, Math.floor((leaseSeconds * 1000) / 8)));
}

/** A reason fit for logs and `lastError`: the code and the server's first reply line, never message content. */
function describe(error: NodemailerError): string {
  const reply = (error.response ?? '').split(/\r?\n/)[0].trim();
  const parts = [
    error.responseCode ? `SMTP ${error.responseCode}` : error.code,
    error.command ? `at ${error.command}` : undefined,
    reply || error.message,
  ];
  return parts
    .filter((part): part is string => Boolean(part))
    .join(' ')
    .slice(0, 300);
}

/**
 * Sorts a failed send: an SMTP reply code decides (5xx permanent, 4xx transient); without one
 * (connection refused or lost, timeout) it depends on whether the whole message had been handed
 * over: before that nothing can have been delivered (a server accepts a message only at its
 * final `.`), after it the outcome is unknown.
 */
export function classifySmtpError(error: unknown, handedOver: boolean): Exclude<SmtpOutcome, { kind: 'sent' }> {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as NodemailerError;
  const reason = describe(e);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return { kind: 'permanent', reason };
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return { kind: 'transient', reason };
  return { kind: handedOver ? 'unknown' : 'transient', reason };
}

/** The envelope sender: the bare address of MAIL_FROM ("Name <a@b>" → a@b). */
export function envelopeAddress(from: string): string {
  for (const entry of addressparser(from, { flatten: true })) {
    if (entry.address) return entry.address;
  }
  return from.trim();
}

/** SMTP to SMTP_URL with timeouts well under the outbox lease; one connection per message. */
export class SmtpTransport {
  private readonly transporter: Transporter;
  private readonly envelopeFrom: string;

  constructor(
    url: string,
    private readonly from: string,
    leaseSeconds: number,
  ) {
    const timeout = smtpTimeoutMs(leaseSeconds);
    this.transporter = createTransport({
      url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      dnsTimeout: timeout,
      socketCloseTimeout: 0,
    });
    this.envelopeFrom = envelopeAddress(from);
  }

  /** The domain Message-IDs are made in: MAIL_FROM's. */
  get domain(): string {
    return this.envelopeFrom.split('@')[1] || 'localhost';
  }

  async send(mail: OutgoingMail): Promise<SmtpOutcome> {
    let raw: Buffer;
    try {
      raw = await new MailComposer({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      })
        .compile()
        .build();
    } catch (error) {
      return {
        kind: 'permanent',
        reason: `cannot build the message: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300),
      };
    }
    // Read to its end by the connection only once DATA was accepted: after that, a missing reply
    // leaves the delivery's outcome unknown.
    let handedOver = false;
    const stream = Readable.from([raw]);
    stream.once('end', () => (handedOver = true));
    try {
      const info = await this.transporter.sendMail({ envelope: { from: this.envelopeFrom, to: [mail.to] }, raw: stream });
      return { kind: 'sent', response: String(info.response ?? '').slice(0, 200) };
    } catch (error) {
      return classifySmtpError(error, handedOver);
    }
  }

  close(): void {
    this.transporter.close();
  }
}
