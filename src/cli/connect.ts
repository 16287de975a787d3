// Credentials and the API origin from the environment (and --base-url), wired through the core.
import { createApsClient, type ApsClient } from '../core/client';

export class SetupError extends Error {}

export const ENVIRONMENT_HELP = `Credentials come from the environment:
  APS_CLIENT_ID, APS_CLIENT_SECRET  an APS app's own (2-legged) credentials
  APS_USER_ID                       act as this Autodesk user (x-user-id), as BIM 360 and ACC often require
  APS_ACCESS_TOKEN                  or an access token obtained elsewhere (3-legged or 2-legged)
  APS_BASE_URL                      another API origin, such as the APS emulator (also --base-url)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY honoured as curl does`;

/** A core client signed with the environment's credentials. */
export function connect(baseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): ApsClient {
  const origin = baseUrl ?? (env.APS_BASE_URL || undefined);
  const userId = env.APS_USER_ID || undefined;
  const common = { baseUrl: origin, proxy: {}, userAgent: 'aps-explorer-cli' };
  if (env.APS_ACCESS_TOKEN) return createApsClient({ ...common, auth: { kind: 'token', accessToken: env.APS_ACCESS_TOKEN, userId } });
  if (env.APS_CLIENT_ID && env.APS_CLIENT_SECRET) {
    return createApsClient({ ...common, auth: { kind: '2-legged', clientId: env.APS_CLIENT_ID, clientSecret: env.APS_CLIENT_SECRET, userId } });
  }
  throw new SetupError('No credentials: set APS_CLIENT_ID and APS_CLIENT_SECRET (2-legged), or APS_ACCESS_TOKEN.');
}
