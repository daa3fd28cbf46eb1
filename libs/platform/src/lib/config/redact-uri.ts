/** A MongoDB URI fit for a log line: credentials replaced. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}
