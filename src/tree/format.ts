// Small text helpers shared by tree items and notifications.
export { formatBytes, formatDate } from '../core/format';

/** Escapes text for a Markdown tooltip. */
export function md(text: string | number | undefined): string {
  return String(text ?? '').replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (char) => `\\${char}`);
}
