import { simpleParser, type AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server for tests, in this process: no auth, no STARTTLS, on 127.0.0.1 and a free port.
 * Point a service's SMTP_URL at `url`; every message that reaches it is parsed (mailparser) and kept.
 */
export interface CaughtMail {
  /** First recipient, lowercased (the To header, or the envelope when there is none). */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Every http(s) URL in the text part, in order. */
  links: string[];
  /** The Message-ID header, angle brackets included (`<...>`), '' when absent. */
  messageId: string;
  receivedAt: Date;
  /** Whether the server accepted it (2xx) or refused it through `reply`. */
  accepted: boolean;
  /** 1-based ordinal of this DATA payload among all the catcher received. */
  n: number;
}

/** What `reply` sees of a message before the server answers its DATA. */
export interface ReplyInput {
  to: string[];
  subject: string;
  /** 1-based ordinal of this DATA payload among all the catcher received (accepted or not). */
  n: number;
  messageId: string;
}

export type SmtpReply = { code: number; message: string } | undefined;

export interface SmtpCatcherOptions {
  /**
   * Decides the reply to a complete DATA payload: `undefined` accepts (250); `{ code: 421 }` is a
   * transient refusal, `{ code: 550 }` a permanent one. A refused message is counted in
   * `received` and `all`, not in `messages`.
   */
  reply?: (mail: ReplyInput) => SmtpReply | Promise<SmtpReply>;
  /** Holds the final reply to every DATA payload this long (the payload has already arrived). */
  delayMs?: number;
}

export interface SmtpCatcher {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Accepted messages, in arrival order. */
  messages: CaughtMail[];
  /** Every complete DATA payload, accepted or refused, in arrival order. */
  all: CaughtMail[];
  /** How many complete DATA payloads reached the server, accepted or not. */
  readonly received: number;
  /** Resolves with the first accepted message (already caught or still to come) that matches. */
  waitForMail(predicate: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** The `#token=` fragment of the message's first link; throws when there is none. */
  tokenFrom(mail: CaughtMail): string;
  /** Forgets every message caught so far (and resets `received`). */
  clear(): void;
  close(): Promise<void>;
}

const LINK = /https?:\/\/[^\s<>"')\]]+/g;

function firstAddress(to: AddressObject | AddressObject[] | undefined): string | undefined {
  const objects = to === undefined ? [] : Array.isArray(to) ? to : [to];
  for (const object of objects) {
    for (const entry of object.value) {
      if (entry.address) return entry.address;
    }
  }
  return undefined;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function replyError(reply: { code: number; message: string }): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export async function startSmtpCatcher(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const messages: CaughtMail[] = [];
  const all: CaughtMail[] = [];
  const waiters = new Set<(mail: CaughtMail) => void>();
  let received = 0;

  async function handle(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<SmtpReply> {
    const raw = await readAll(stream);
    if (stream.sizeExceeded) return { code: 552, message: 'message too big' };
    const n = ++received;
    const parsed = await simpleParser(raw);
    const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
    const text = parsed.text ?? '';
    const mail: CaughtMail = {
      to: (firstAddress(parsed.to) ?? envelopeTo[0] ?? '').toLowerCase(),
      subject: parsed.subject ?? '',
      text,
      html: typeof parsed.html === 'string' ? parsed.html : '',
      links: text.match(LINK) ?? [],
      messageId: parsed.messageId ?? '',
      receivedAt: new Date(),
      accepted: false,
      n,
    };
    all.push(mail);
    const reply = options.reply ? await options.reply({ to: envelopeTo, subject: mail.subject, n, messageId: mail.messageId }) : undefined;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (reply && reply.code >= 400) return reply;
    mail.accepted = true;
    messages.push(mail);
    for (const waiter of [...waiters]) waiter(mail);
    return reply;
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      handle(stream, session).then(
        (reply) => (reply && reply.code >= 400 ? callback(replyError(reply)) : callback(null, reply?.message)),
        (err: unknown) => callback(replyError({ code: 451, message: `catcher error: ${String(err)}` })),
      );
    },
  });
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    all,
    get received() {
      return received;
    },
    waitForMail(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (mail: CaughtMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((m) => `${m.to} "${m.subject}"`).join(', ') || 'none';
          reject(new Error(`no matching mail within ${timeoutMs} ms (caught: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    tokenFrom(mail) {
      const link = mail.links[0];
      const match = link ? /#token=([^&\s]+)/.exec(link) : null;
      if (!match) throw new Error(`mail to ${mail.to} "${mail.subject}" has no #token= link (links: ${mail.links.join(' ') || 'none'})`);
      return decodeURIComponent(match[1]);
    },
    clear() {
      messages.length = 0;
      all.length = 0;
      received = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
