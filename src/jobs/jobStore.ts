import type * as vscode from 'vscode';
import { isActive, type JobRecord } from './jobRecord';

const KEY = 'apsExplorer.jobs';
const KEEP_FINISHED = 30;

/** Jobs in workspaceState: running ones survive a window reload, recent ones stay listed. */
export class JobStore {
  constructor(private readonly memento: vscode.Memento) {}

  load(): JobRecord[] {
    const saved = this.memento.get<unknown>(KEY);
    return Array.isArray(saved) ? (saved.filter(isRecord) as JobRecord[]) : [];
  }

  async save(records: readonly JobRecord[]): Promise<void> {
    let finished = 0;
    const kept = records.filter((record) => isActive(record.state) || ++finished <= KEEP_FINISHED);
    await this.memento.update(KEY, kept);
  }
}

function isRecord(value: unknown): boolean {
  const record = value as Partial<JobRecord> | null;
  return typeof record === 'object' && record !== null && typeof record.id === 'string' && typeof record.state === 'string' && typeof record.plan === 'object';
}
