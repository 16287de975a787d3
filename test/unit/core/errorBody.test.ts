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
});
