import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export type ArgOptions = NonNullable<ParseArgsConfig['options']>;

/** `parseArgs`, strict, with positionals; its errors become usage errors. */
export function parseCli<const T extends ArgOptions>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  }
  return parsed;
}

/**
 * Runs a CLI entry and exits: usage errors print the usage (exit 2), anything else prints its
 * message without a stack (exit 1); DIRECTORY_DEBUG=1 prints the stack too.
 */
export function runMain(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof UsageError) {
        process.stderr.write(`${message}\n\n${usage}\n`);
        process.exit(2);
      }
      process.stderr.write(`error: ${message}\n`);
      if (process.env['DIRECTORY_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
}
