/** Password hashing with argon2id (node-argon2, RFC 9106 parameters) and the password policy (NIST SP 800-63B style). */

/** Bounds in characters: long passphrases welcome, but not megabytes of input to hash. */
export const PASSWORD_LIMITS = { min: 10, max: 256 } as const;

/** node-argon2, loaded at the first hash or check: reader pages never need it. */
let argon2: Promise<typeof import('argon2')> | undefined;
function loadArgon2(): Promise<typeof import('argon2')> {
  argon2 ??= import('argon2');
  return argon2;
}

/** argon2id PHC string for `password`. */
export async function hashPassword(password: string): Promise<string> {
  const { hash, argon2id } = await loadArgon2();
  return hash(password, { type: argon2id });
}

/** True when `password` matches the PHC `hash`; false for a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await (await loadArgon2()).verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verifying against it makes "no such user" take as long as "wrong password". */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`);
  return decoyHash;
}

/** A message saying what is wrong with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < PASSWORD_LIMITS.min) return `Use at least ${PASSWORD_LIMITS.min} characters.`;
  if (password.length > PASSWORD_LIMITS.max) return `Use at most ${PASSWORD_LIMITS.max} characters.`;
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'Your password must not be your email address.';
  return undefined;
}
