// The OAuth scopes APS Explorer asks Autodesk for, and why (aps-api.md §1.1; each endpoint's reference page).

/**
 * data:read   browse hubs to versions, signed downloads, BIM 360 PDF exports
 * data:create conversions (POST projects/:id/downloads)
 * data:write  ACC Files PDF exports (POST …/exports), and uploads to come
 * data:search folder search
 */
export const APP_SCOPES = ['data:read', 'data:write', 'data:create', 'data:search'] as const;

/** Signed in as a user, also the user's profile (GET userinfo), for the account's name. */
export const USER_SCOPES = [...APP_SCOPES, 'user-profile:read'] as const;
