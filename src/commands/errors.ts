import * as vscode from 'vscode';
import { isApsError } from '../core/http/apsError';
import type { ExtensionLog } from '../log/logChannel';
import type { Prompts } from '../ui/prompts';

/** Shows a failure the way every command does: APS's reason, and a way to the log. */
export async function reportFailure(prompts: Prompts, log: ExtensionLog, what: string, error: unknown): Promise<void> {
  const reason = isApsError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
  log.error(what, isApsError(error) ? `${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}` : error);
  const showLog = vscode.l10n.t('Show Log');
  const choice = await prompts.notify('error', vscode.l10n.t({ message: '{0}: {1}', args: [what, reason], comment: ['{0} is what failed ("Sign-in failed"), {1} is why (from Autodesk)'] }), showLog);
  if (choice === showLog) log.show();
}
