// package.json as VS Code reads it: JSON.parse keeps the last of two equal keys, so a second "explorer/context"
// silently drops every menu entry of the first. Merges of two features make exactly that mistake.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const manifestText = readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8');

/** Each key that appears twice in one object of a JSON text, with the path of that object. */
function duplicateKeys(text: string): string[] {
  const found: string[] = [];
  const stack: { keys: Set<string> | undefined; name: string }[] = [];
  let lastString: string | undefined;
  let pendingKey = '';
  for (const [token] of text.matchAll(/"(?:[^"\\]|\\.)*"|[{}[\]:]/g)) {
    if (token.startsWith('"')) {
      lastString = JSON.parse(token) as string;
      continue;
    }
    if (token === ':') {
      const object = stack.at(-1);
      if (object?.keys && lastString !== undefined) {
        if (object.keys.has(lastString)) found.push(`${object.name}/${lastString}`);
        object.keys.add(lastString);
        pendingKey = lastString;
      }
    } else if (token === '{' || token === '[') {
      stack.push({ keys: token === '{' ? new Set() : undefined, name: `${stack.at(-1)?.name ?? ''}/${pendingKey}`.replace(/^\/+/, '') });
    } else {
      stack.pop();
    }
    lastString = undefined;
  }
  return found;
}

describe('extension manifest (package.json)', () => {
  const manifest = JSON.parse(manifestText) as {
    contributes: { commands: { command: string }[]; menus: Record<string, { command?: string; submenu?: string }[]> };
  };

  it('has no key twice in one object (VS Code would keep only the last)', () => {
    assert.deepEqual(duplicateKeys(manifestText), []);
    assert.deepEqual(duplicateKeys('{"a": {"b": 1, "c": [{"b": 2}], "b": 3}}'), ['a/b'], 'the check itself finds a repeated key');
  });

  it('puts only declared commands in menus', () => {
    const declared = new Set(manifest.contributes.commands.map((entry) => entry.command));
    const undeclared = Object.entries(manifest.contributes.menus).flatMap(([menu, entries]) =>
      entries.filter((entry) => entry.command && !declared.has(entry.command)).map((entry) => `${menu}: ${entry.command}`),
    );
    assert.deepEqual(undeclared, []);
  });
});
