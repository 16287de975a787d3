import { isApsError } from '../core/http/apsError';
import type { ExtensionLog } from '../log/logChannel';
import type { Prompts } from '../ui/prompts';

/** Shows a failure the way every command does: APS's reason, and a way to the log. */
export async function reportFailure(prompts: Prompts, log: ExtensionLog, what: string, error: unknown): Promise<void> {
  const reason = isApsError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
  log.error(what, isApsError(error) ? `${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}` : error);
  const choice = await prompts.notify('error', `${what}: ${reason}`, 'Show Log');
  if (choice === 'Show Log') log.show();
}
