import * as assert from 'node:assert/strict';
import { parseErrorBody } from '../../../src/core/http/errorBody';
import { errorFromResponse } from '../../../src/core/http/errorFactory';

const ctx = { method: 'GET', url: 'https://developer.api.autodesk.com/data/v1/x' };

describe('core/http/errorBody', () => {
  it('reads every APS error body shape', () => {
    assert.deepEqual(parseErrorBody('{"jsonapi":{"version":"1.0"},"errors":[{"id":"e1","status":"403","code":"USER_NOT_AUTHENTICATED","detail":"The user could not be authenticated."}]}'), {
      code: 'USER_NOT_AUTHENTICATED',
      title: undefined,
      detail: 'The user could not be authenticated.',
      errorId: 'e1',
    });
    assert.deepEqual(parseErrorBody('{"developerMessage":"The token is invalid.","moreInfo":"https://x","errorCode":"AUTH-006"}'), { code: 'AUTH-006', detail: 'The token is invalid.' });
    assert.deepEqual(parseErrorBody('{"developerMessage":"Quota limit exceeded."}'), { code: undefined, detail: 'Quota limit exceeded.' });
    assert.deepEqual(parseErrorBody('{"error":"invalid_grant","error_description":"PKCE verification failed"}'), { code: 'invalid_grant', detail: 'PKCE verification failed' });
    assert.deepEqual(parseErrorBody('{"reason":"Bucket already exists"}'), { detail: 'Bucket already exists' });
    assert.deepEqual(parseErrorBody('{"code":"ERR_BAD_INPUT","detail":"only PDF, DWG, and RVT are accepted"}'), { code: 'ERR_BAD_INPUT', title: undefined, detail: 'only PDF, DWG, and RVT are accepted' });
    assert.deepEqual(parseErrorBody('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message><RequestId>R1</RequestId></Error>'), {
      code: 'AccessDenied',
      detail: 'Request has expired',
      errorId: 'R1',
    });
    assert.deepEqual(parseErrorBody(''), {});
  });

  it('builds errors with a human sentence, retryability and request id', () => {
    const rateLimited = errorFromResponse(429, { 'retry-after': '25' }, '{"developerMessage":"Quota limit exceeded."}', { ...ctx, retryAfterMs: 25_000 });
    assert.equal(rateLimited.retryable, true);
    assert.match(rateLimited.userMessage, /25 seconds/);
    const forbidden = errorFromResponse(403, { 'x-request-id': 'req-9' }, '{"errors":[{"status":"403","code":"ERR_NOT_AUTHORIZED","detail":"No access to this folder."}]}', ctx);
    assert.equal(forbidden.requestId, 'req-9');
    assert.equal(forbidden.retryable, false);
    assert.match(forbidden.userMessage, /permission/);
    assert.match(forbidden.userMessage, /No access to this folder/);
    const expired = errorFromResponse(400, {}, '{"error":"invalid_grant"}', { method: 'POST', url: 'https://developer.api.autodesk.com/authentication/v2/token' });
    assert.equal(expired.kind, 'auth');
    assert.match(expired.userMessage, /sign in again/i);
  });

  it('names the scope a 403 AUTH-010 lacks, the limit a 429 hit with when to retry, and the header storage refused', () => {
    const gateway = '{"developerMessage":"Token does not have the privilege for this request.","errorCode":"AUTH-010"}';
    const convert = errorFromResponse(403, {}, gateway, { method: 'POST', url: 'https://developer.api.autodesk.com/data/v1/projects/b.1/downloads' });
    assert.equal(convert.userMessage, 'Autodesk refused starting conversions: the sign-in lacks the scope data:create. Sign out and sign in again so Autodesk grants it, and check that your APS app may use it.');
    const search = errorFromResponse(403, {}, gateway, { method: 'GET', url: '/data/v1/projects/b.1/folders/urn%3Ax/search?filter%5Bx%5D=1' });
    assert.match(search.userMessage, /scope data:read and data:search/);
    const profile = errorFromResponse(403, {}, gateway, { method: 'GET', url: 'https://api.userprofile.autodesk.com/userinfo' });
    assert.match(profile.userMessage, /^Autodesk refused reading your Autodesk profile: the sign-in lacks the scope user-profile:read\./);

    const hubs = errorFromResponse(429, { 'retry-after': '37' }, '{"developerMessage":"Quota limit exceeded."}', { method: 'GET', url: 'https://developer.api.autodesk.com//project/v1/hubs', retryAfterMs: 37_000 });
    assert.equal(hubs.userMessage, 'Autodesk allows 50 requests a minute for listing hubs per app, and they are used up. Try again in 37 seconds.');
    const oss = errorFromResponse(429, {}, '', { method: 'GET', url: 'https://developer.api.autodesk.com/oss/v2/buckets/b/objects/o/signeds3download', retryAfterMs: 1_000 });
    assert.match(oss.userMessage, /1000 requests a minute for storage \(OSS\) requests per app.*Try again in 1 second\./);

    const storage = errorFromResponse(
      400,
      {},
      '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>',
      { method: 'GET', url: 'http://127.0.0.1:1/com.autodesk.oss-persistent/b/o' },
    );
    assert.match(storage.userMessage, /Authorization header/);
  });
});
