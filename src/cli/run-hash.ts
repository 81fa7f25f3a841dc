/**
 * The hash a CLI run is known by (its manifest's configHash): the config's hash and,
 * with a seed file, that file's digest. A module of its own: the command line's
 * start-up (resume.ts) reads it without loading the config compiler.
 */
/**
 * A run's hash: the config's, and with a seed file its bytes' digest as `CONFIG-SEED`
 * (resuming over a changed seed file would mix two datasets).
 */
export function runHash(config: string, seedDigest: string | undefined): string {
  return seedDigest === undefined ? config : `${config}-${seedDigest.slice(0, 16)}`;
}

/** A run hash's parts: the config's hash and the seed file's digest (undefined without one). */
export function splitRunHash(hash: string): { config: string; seed: string | undefined } {
  const [config = '', seed] = hash.split('-');
  return { config, seed };
}
