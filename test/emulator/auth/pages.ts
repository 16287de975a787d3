import type { SeedUser } from '../seed';

const FORWARDED = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'response_mode', 'code_challenge', 'code_challenge_method', 'prompt'];

function escapeHtml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c] as string);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}</style>
</head><body>${body}</body></html>`;
}

export function consentPage(spec: { appName: string; scopes: string[]; users: SeedUser[]; defaultUserId: string; hidden: URLSearchParams }): string {
  const hidden = FORWARDED.filter((name) => spec.hidden.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(spec.hidden.get(name) as string)}">`)
    .join('\n');
  const options = spec.users
    .map((user) => `<option value="${escapeHtml(user.id)}"${user.id === spec.defaultUserId ? ' selected' : ''}>${escapeHtml(user.name)} (${escapeHtml(user.email)})</option>`)
    .join('');
  return page(
    'Autodesk – Allow access',
    `<h1>APS emulator sign-in</h1>
<p><strong>${escapeHtml(spec.appName)}</strong> wants to access your Autodesk data:</p>
<ul>${spec.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')}</ul>
<form method="post" action="authorize">
${hidden}
<label>Sign in as <select name="user_id">${options}</select></label>
<p><button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></p>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** response_mode=form_post: a page that posts the result to the redirect URI. */
export function formPostPage(action: string, values: URLSearchParams): string {
  const inputs = [...values].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
  return page('Continue', `<form method="post" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script>`);
}
