import * as vscode from 'vscode';
import type { Accounts } from '../auth/accounts';
import type { ExtensionLog } from '../log/logChannel';
import type { Prompts } from '../ui/prompts';
import { reportFailure } from './errors';
import { SECTION } from '../config/settings';

export function registerAccountCommands(accounts: Accounts, prompts: () => Prompts, log: ExtensionLog): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apsExplorer.signIn', async () => {
      if (!(await ensureClientId(prompts()))) return;
      try {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in with Autodesk… finish in your browser'), cancellable: true },
          (_progress, token) => accounts.signInWithAutodesk(token),
        );
        const account = accounts.account;
        if (account?.profileRefused) {
          void prompts().notify('warning', vscode.l10n.t('Signed in to Autodesk as {0}. Autodesk did not share your profile, so your user ID stands in for your name: {1}', account.label, account.profileRefused));
        } else void prompts().notify('info', vscode.l10n.t('Signed in to Autodesk as {0}.', String(account?.label)));
      } catch (error) {
        await reportFailure(prompts(), log, vscode.l10n.t('Sign-in failed'), error);
      }
    }),
    vscode.commands.registerCommand('apsExplorer.useAppCredentials', async () => {
      const ui = prompts();
      if (!(await ensureClientId(ui))) return;
      const secret = await ui.inputBox({
        title: vscode.l10n.t('APS app credentials (2-legged)'),
        prompt: vscode.l10n.t("Client secret of your APS app. It is kept in VS Code's secret storage, never in settings."),
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the client secret.')),
      });
      if (!secret) return;
      try {
        const account = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking app credentials…') }, () => accounts.useAppCredentials(secret.trim()));
        void ui.notify('info', vscode.l10n.t('Using app credentials: {0}.', account.label));
      } catch (error) {
        await reportFailure(ui, log, vscode.l10n.t('App credentials were refused'), error);
      }
    }),
    vscode.commands.registerCommand('apsExplorer.signOut', async () => {
      await accounts.signOut();
      void prompts().notify('info', vscode.l10n.t('Signed out of APS.'));
    }),
    vscode.commands.registerCommand('apsExplorer.showLog', () => log.show()),
    vscode.commands.registerCommand('apsExplorer.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${'aps-explorer.aps-explorer'}`)),
  ];
}

/** Asks for the client id when none is set, and saves it (user settings, not workspace). */
async function ensureClientId(ui: Prompts): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (config.get<string>('clientId', '').trim()) return true;
  const clientId = await ui.inputBox({
    title: vscode.l10n.t('APS app'),
    prompt: vscode.l10n.t('Client ID of your APS app (from the APS developer portal)'),
    ignoreFocusOut: true,
    validateInput: (value) => (/^\S{8,}$/.test(value.trim()) ? undefined : vscode.l10n.t('A client ID is at least 8 characters, without spaces.')),
  });
  if (!clientId) return false;
  await config.update('clientId', clientId.trim(), vscode.ConfigurationTarget.Global);
  return true;
}
