// PKCE (RFC 7636, S256) and OAuth state values.
import { createHash, randomBytes } from 'node:crypto';

export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** 43 characters of [A-Za-z0-9-_] (256 bits of entropy). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

export function codeChallengeS256(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export function createPkcePair(): PkcePair {
  const codeVerifier = createCodeVerifier();
  return { codeVerifier, codeChallenge: codeChallengeS256(codeVerifier), codeChallengeMethod: 'S256' };
}

/** State allowed by APS: alphanumerics, comma, period, underscore, hyphen. */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}
