// Types of log-hygiene.cjs for the TypeScript callers (tools/with-database.ts, its spec).
export interface Finding {
  file: string;
  line: number;
  kind: string;
  /** The first characters and the length; never the whole value. */
  masked: string;
}
export interface ScanResult {
  files: number;
  lines: number;
  findings: Finding[];
}
export declare const REDACTION_MARKER: string;
export declare const SECRET_KEYS: readonly string[];
export declare function scanLine(line: string): Array<Pick<Finding, 'kind' | 'masked'>>;
export declare function scanText(text: string, file?: string): { lines: number; findings: Finding[] };
export declare function scanPaths(targets: string[]): ScanResult;
export declare function report(result: ScanResult, opts?: { cwd?: string; limit?: number }): { ok: boolean; text: string };
export declare function mask(value: unknown): string;
