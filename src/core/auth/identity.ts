// Who a 3-legged sign-in is: the profile APS's userinfo answers, or, when APS refuses it (no
// user-profile:read, an app not allowed profiles), the Autodesk user id the access token itself carries.
import { isApsError, type ApsError } from '../http/apsError';
import type { ThreeLeggedAuth } from './threeLeggedAuth';

export interface SignedInUser {
  /** Autodesk user id (x-user-id value, userinfo `sub`, the token's `userid` claim). */
  id: string;
  name?: string;
  email?: string;
  /** Why the profile is missing, when userinfo was refused. */
  profileRefusal?: ApsError;
}

/** The `userid` claim of an APS access token (a JWT); undefined when the token is opaque or has none. */
export function userIdOfAccessToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { userid?: unknown };
    return typeof claims.userid === 'string' && claims.userid !== '' ? claims.userid : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in user; userinfo refused by APS (4xx) still answers, from the token. */
export async function identify(auth: ThreeLeggedAuth, signal?: AbortSignal): Promise<SignedInUser> {
  try {
    const info = await auth.userInfo(signal);
    return { id: info.sub, name: info.name, email: info.email };
  } catch (error) {
    if (!isApsError(error) || error.status === undefined || error.status < 400 || error.status >= 500 || error.status === 429) throw error;
    const id = userIdOfAccessToken(await auth.getAccessToken(signal));
    if (!id) throw error;
    return { id, profileRefusal: error };
  }
}

/** "Name (email)", the name or the email alone, or the user id when APS shared no profile. */
export function userLabel(user: SignedInUser): string {
  if (user.name) return user.email ? `${user.name} (${user.email})` : user.name;
  return user.email ?? `Autodesk user ${user.id}`;
}
