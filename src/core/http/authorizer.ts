/** What the HTTP layer needs from an auth flow to sign API calls. */
export interface RequestAuthorizer {
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /**
   * Called once per request after APS answered 401 to `rejectedToken`.
   * Resolves true when a different token is now available (the request is then retried once).
   */
  onUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<boolean>;
  /** Sent as x-user-id to narrow a 2-legged call to one user's permissions. */
  readonly userId?: string;
}
