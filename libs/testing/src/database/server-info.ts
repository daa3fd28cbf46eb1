import { MongoClient } from 'mongodb';

export interface ServerInfo {
  /** Wire-compatible version, e.g. `8.0.4`; FerretDB claims a 7.0.x here. */
  version: string;
  isRealMongo: boolean;
  /** FerretDB's own version when it reports one (the embedded build says "unknown"). */
  ferretDbVersion?: string;
}

/** Asks the server who it is. FerretDB adds `ferretdbVersion` to buildInfo; MongoDB never does. */
export async function serverInfo(uri: string, timeoutMs = 10_000): Promise<ServerInfo> {
  // Driver options override the URI's, so a timeout written in MONGODB_URI must win here.
  const ownTimeout = /[?&]serverSelectionTimeoutMS=/i.test(uri);
  const client = new MongoClient(uri, ownTimeout ? {} : { serverSelectionTimeoutMS: timeoutMs });
  try {
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = typeof info['ferretdbVersion'] === 'string' ? (info['ferretdbVersion'] as string) : undefined;
    return { version: String(info['version']), isRealMongo: !('ferretdbVersion' in info), ferretDbVersion: ferret };
  } finally {
    await client.close();
  }
}

/** `7.0.42 (FerretDB v1.24.2)` for FerretDB, the plain version for MongoDB. */
export function describeServer(info: ServerInfo, productHint?: string): string {
  if (info.isRealMongo) return info.version;
  const reported = info.ferretDbVersion && info.ferretDbVersion !== 'unknown' ? `FerretDB ${info.ferretDbVersion}` : '';
  return `${info.version} (${reported || productHint || 'FerretDB'})`;
}

/** Hides a password before a URI reaches a log. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
