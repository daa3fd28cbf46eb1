/** Deeper than any Directory body needs; far below where recursive transforms overflow the stack. */
export const MAX_JSON_DEPTH = 64;

/** body-parser's `type` for JSON it cannot parse. */
export const JSON_PARSE_FAILED = 'entity.parse.failed';
/** The body-parser-style `type` of refuseDeepJson's error, so mapError can give it its own code. */
export const JSON_TOO_DEEP = 'entity.too.deep';

/**
 * The deepest `{`/`[` nesting in raw JSON text, ignoring brackets inside strings. A linear scan
 * of the bytes, so a hostile 10,000-level body is refused before anything recurses over it.
 */
export function jsonNestingDepth(raw: Buffer | string): number {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}

/** body-parser `verify`: a 400 (body-parser errors carry `status`) for JSON nested too deep. */
export function refuseDeepJson(_req: unknown, _res: unknown, raw: Buffer): void {
  if (jsonNestingDepth(raw) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
      status: 400,
      statusCode: 400,
      expose: true,
      type: JSON_TOO_DEEP,
    });
  }
}

/**
 * Express error middleware, mounted right after the JSON parser. Nest rewrites body-parser's
 * SyntaxError into a bare BadRequestException (JSON.parse's text, which quotes the body, and no
 * `type`); re-raised as a plain error it reaches mapError intact: 'Malformed JSON body',
 * code malformed_json.
 */
export function keepJsonParseFailure(error: unknown, _req: unknown, _res: unknown, next: (error?: unknown) => void): void {
  if (error instanceof SyntaxError && (error as { type?: unknown }).type === JSON_PARSE_FAILED) {
    next(
      Object.assign(new Error('Malformed JSON body', { cause: error }), {
        status: 400,
        statusCode: 400,
        expose: true,
        type: JSON_PARSE_FAILED,
      }),
    );
    return;
  }
  next(error);
}
