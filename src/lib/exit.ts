/** Ending the process without losing output. */

/** Exits with `code` once stdout and stderr have been written out: a pipe (`| tee`, a log shipper) takes output asynchronously. */
export function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
