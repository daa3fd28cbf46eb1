/** Deeper than any Directory body needs; far below where recursive transforms overflow the stack. */
export const MAX_JSON_DEPTH = 64;

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
      type: 'entity.too.deep',
    });
  }
}
