import { ApsError, isApsError } from '../core/http/apsError';

export function toApsError(error: unknown): ApsError {
  if (isApsError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApsError({ kind: 'protocol', message, userMessage: message, cause: error });
}

// What an error node says lives in treeItems.ts (describeTreeError): this module stays free of the
// vscode API, so the tree model that uses it can be unit-tested outside the editor.
