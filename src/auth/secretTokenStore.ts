import type * as vscode from 'vscode';
import type { TokenStore } from '../core/auth/tokenStore';

/** Tokens and client secrets live only in VS Code's SecretStorage (the OS keychain on desktop). */
export class SecretTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.secrets.store(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }
}
