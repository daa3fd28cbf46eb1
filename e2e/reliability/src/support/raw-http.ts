import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
  /** When the response ended (Date.now()), to tell answers before and after a signal apart. */
  at: number;
}

/**
 * A POST on its own connection (no keep-alive agent), so a server that drops in-flight
 * connections shows up as a rejected promise (ECONNRESET, "socket hang up") instead of being
 * hidden by a retry on a pooled socket.
 */
export function postOwnConnection(url: string, body: unknown, timeoutMs = 120_000): Promise<RawResponse> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body: data, at: Date.now() }));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.once('error', reject);
    req.end(text);
  });
}
