import { StringDecoder } from 'node:string_decoder';

export interface TextLine {
  text: string;
  /** 1-based line number. */
  line: number;
  /** The line exceeded `maxLength` and was dropped; `text` is empty. */
  tooLong?: boolean;
}

/** One user record is a few hundred bytes; a megabyte "line" is a wrong file, not a user. */
export const MAX_LINE_LENGTH = 1 << 20;

/**
 * Lines of a stream (LF or CRLF), without keeping more than one line in memory; a line longer
 * than `maxLength` is reported as too long instead of buffered. Blank lines are skipped.
 */
export async function* readLines(source: AsyncIterable<string | Buffer>, maxLength = MAX_LINE_LENGTH): AsyncGenerator<TextLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let tooLong = false;
  let line = 0;
  let atStart = true;
  const finish = (raw: string): TextLine | undefined => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const result = tooLong ? { text: '', line, tooLong: true } : text.trim() === '' ? undefined : { text, line };
    tooLong = false;
    return result;
  };
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    let from = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
      const result = finish(pending + text.slice(from, newline));
      pending = '';
      from = newline + 1;
      if (result) yield result;
    }
    pending += text.slice(from);
    if (pending.length > maxLength) {
      tooLong = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (pending !== '' || tooLong) {
    const result = finish(pending);
    if (result) yield result;
  }
}
