import type { StoredOutboxMessage } from '@directory/data-access';

/** One rendered message, ready for SMTP. */
export interface ComposedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * What to do with a due message, decided when it is sent:
 * - `send`: the state it announces holds; its one-time token (if any) was minted into the mail;
 * - `wait`: that state may still appear (the request that wrote the message is in flight);
 * - `void`: it never happened or has moved on; nothing will be sent (the reason is kept).
 */
export type Composition =
  | { outcome: 'send'; mail: ComposedMail }
  | { outcome: 'wait'; reason: string }
  | { outcome: 'void'; reason: string };

/** Turns an outbox message into mail (templates, guards and token minting live behind this). */
export abstract class MailComposer {
  abstract compose(message: StoredOutboxMessage, now: Date): Promise<Composition>;
}
