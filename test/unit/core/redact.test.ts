import * as assert from 'node:assert/strict';
import { redactBody, redactHeaders, redactUrl } from '../../../src/core/http/redact';

describe('core/http/redact', () => {
  it('masks S3 and CloudFront signature parameters but keeps the rest of the URL', () => {
    const s3 = redactUrl('https://bucket.s3.amazonaws.com/a%20b.rvt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2024&X-Amz-Date=20240101T000000Z&X-Amz-Expires=120&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok');
    assert.ok(!s3.includes('deadbeef'));
    assert.ok(!s3.includes('AKIA'));
    assert.ok(!s3.includes('tok&') && !s3.endsWith('tok'));
    assert.ok(s3.includes('X-Amz-Expires=120'));
    assert.ok(s3.startsWith('https://bucket.s3.amazonaws.com/a%20b.rvt?'));

    const cdn = redactUrl('https://cdn.us.oss.api.autodesk.com/x.rvt?Expires=1700000000&Signature=abc~def&Key-Pair-Id=K123&Policy=pol');
    for (const secret of ['abc~def', 'K123', 'pol']) assert.ok(!cdn.includes(secret), cdn);
    assert.ok(cdn.includes('Expires=1700000000'));
  });

  it('masks OAuth values and credentials embedded in URLs, relative URLs too', () => {
    const callback = redactUrl('http://127.0.0.1:5000/callback?code=SECRETCODE&state=abc');
    assert.ok(!callback.includes('SECRETCODE'));
    assert.ok(callback.includes('state=abc'));
    assert.ok(!redactUrl('http://user:pa55@proxy:8080/').includes('pa55'));
    const relative = redactUrl('/callback?code=SECRETCODE&x=1');
    assert.ok(!relative.includes('SECRETCODE'));
    assert.ok(relative.includes('x=1'));
  });

  it('masks auth headers and keeps the scheme', () => {
    const headers = redactHeaders({ Authorization: 'Bearer abc.def.ghi', cookie: 'a=b', 'x-user-id': 'U1', location: 'https://s3/x?X-Amz-Signature=zzz' });
    assert.equal(headers.Authorization, 'Bearer ***');
    assert.equal(headers.cookie, '***');
    assert.equal(headers['x-user-id'], 'U1');
    assert.ok(!headers.location.includes('zzz'));
    assert.deepEqual(redactHeaders([['proxy-authorization', 'Basic dXNlcjpwYXNz']]), { 'proxy-authorization': 'Basic ***' });
  });

  it('masks token fields in form, JSON text and objects', () => {
    const form = String(redactBody('grant_type=authorization_code&code=C0DE&code_verifier=V3R&redirect_uri=http%3A%2F%2Fx'));
    assert.ok(!form.includes('C0DE') && !form.includes('V3R'));
    assert.ok(form.includes('grant_type=authorization_code'));
    const json = String(redactBody('{"access_token":"AT","refresh_token":"RT","expires_in":3599}'));
    assert.ok(!json.includes('"AT"') && !json.includes('"RT"'));
    assert.ok(json.includes('3599'));
    const object = redactBody({ nested: { client_secret: 'S', id_token: 'I', keep: 'k' }, url: 'https://s3/x?X-Amz-Signature=sig1' }) as Record<string, Record<string, string> | string>;
    assert.deepEqual(object.nested, { client_secret: '***', id_token: '***', keep: 'k' });
    assert.ok(!String(object.url).includes('sig1'));
  });
});
