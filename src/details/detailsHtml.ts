import * as vscode from 'vscode';
import type { Details } from './detailsModel';

/** The Details view's page: no scripts; images only from data: URIs; everything escaped. */
export function detailsHtml(details: Details, cspSource: string): string {
  const thumbnail = details.thumbnail
    ? 'image' in details.thumbnail
      ? `<img class="thumbnail" src="${escape(details.thumbnail.image)}" alt="${escape(vscode.l10n.t('Thumbnail of {0}', details.title))}">`
      : `<p class="note">${escape(details.thumbnail.note)}</p>`
    : '';
  const fields = details.fields.map((field) => `<tr><th scope="row">${escape(field.label)}</th><td>${field.code ? `<code>${escape(field.value)}</code>` : escape(field.value)}</td></tr>`).join('');
  const versions = details.versions?.length
    ? `<h3>${escape(vscode.l10n.t('Versions'))}</h3><table class="versions"><thead><tr><th>${escape(vscode.l10n.t('Version'))}</th><th>${escape(vscode.l10n.t('Size'))}</th><th>${escape(vscode.l10n.t('Modified'))}</th><th>${escape(vscode.l10n.t('By'))}</th><th>${escape(vscode.l10n.t('Process state'))}</th></tr></thead><tbody>${details.versions
        .map(
          (row) =>
            `<tr${row.current ? ' class="current" aria-current="true"' : ''}><td>${escape(row.number)}</td><td>${escape(row.size)}</td><td>${escape(row.modified)}</td><td>${escape(row.by)}</td><td>${escape(row.processState)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const link = details.webLink ? `<p><a href="${escape(details.webLink)}">${escape(vscode.l10n.t('Open in Autodesk Docs'))}</a></p>` : '';
  return `<!DOCTYPE html>
<html lang="${escape(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src ${cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 8px; }
  h2 { font-size: 1.15em; margin: 0.6em 0 0.1em; word-break: break-word; }
  h3 { font-size: 1em; margin: 1em 0 0.3em; }
  .subtitle, .note { color: var(--vscode-descriptionForeground); margin: 0 0 0.6em; }
  .problem { color: var(--vscode-errorForeground); }
  .thumbnail { display: block; width: 100px; height: 100px; border: 1px solid var(--vscode-widget-border, transparent); margin: 0.4em 0; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: 2px 6px 2px 0; }
  th[scope=row] { color: var(--vscode-descriptionForeground); font-weight: normal; white-space: nowrap; }
  code { font-family: var(--vscode-editor-font-family); font-size: 0.92em; word-break: break-all; }
  .versions thead th { border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border)); }
  .versions tr.current td { font-weight: bold; }
  a { color: var(--vscode-textLink-foreground); }
</style>
</head>
<body>
<h2>${escape(details.title)}</h2>
${details.subtitle ? `<p class="subtitle">${escape(details.subtitle)}</p>` : ''}
${thumbnail}
${fields ? `<table class="fields">${fields}</table>` : ''}
${versions}
${details.problem ? `<p class="problem" role="status">${escape(details.problem)}</p>` : ''}
${link}
</body>
</html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}
