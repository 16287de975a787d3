// Plays the browser in the OAuth consent step: GET the authorize URL, submit the consent form as "Allow".
import { request } from 'undici';

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&#39;': "'", '&quot;': '"' };

function unescapeHtml(text: string): string {
  return text.replace(/&(lt|gt|amp|#39|quot);/g, (entity) => ENTITIES[entity]);
}

/** Reads the form's fields the way a browser would submit them with the given submit button. */
function formFields(html: string, decision: 'allow' | 'deny', userId?: string): { action: string; fields: URLSearchParams } {
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no consent form in:\n${html.slice(0, 500)}`);
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(input[1], unescapeHtml(input[2]));
  const select = /<select name="([^"]+)">([\s\S]*?)<\/select>/.exec(form[2]);
  if (select) {
    const selected = /<option value="([^"]+)" selected>/.exec(select[2]) ?? /<option value="([^"]+)"/.exec(select[2]);
    fields.append(select[1], userId ?? unescapeHtml(selected?.[1] ?? ''));
  }
  fields.append('decision', decision);
  return { action: unescapeHtml(form[1]), fields };
}

/** Returns the Location the authorization server redirects the browser to after consent. */
export async function consent(authorizeUrl: string, options: { decision?: 'allow' | 'deny'; userId?: string } = {}): Promise<string> {
  const page = await request(authorizeUrl);
  const html = await page.body.text();
  if (page.statusCode !== 200) throw new Error(`authorize answered ${page.statusCode}: ${html.slice(0, 300)}`);
  const { action, fields } = formFields(html, options.decision ?? 'allow', options.userId);
  const answer = await request(new URL(action, authorizeUrl).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  await answer.body.text();
  const location = answer.headers.location;
  if (answer.statusCode !== 302 || typeof location !== 'string') throw new Error(`consent answered ${answer.statusCode} without a redirect`);
  return location;
}
