import type { ClientRequest, IncomingHttpHeaders } from 'node:http';
import { urlToHttpOptions } from 'node:url';

/** Status and headers of the answer to a one-byte ranged GET. */
export interface ProbeAnswer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
}

export interface EarlyProbe {
  /** Settles once the request has left (or failed), or after a few milliseconds whatever happened. */
  readonly sent: Promise<void>;
  /** undefined when the probe failed in any way: it is only a head start, the engine asks again then. */
  readonly answer: Promise<ProbeAnswer | undefined>;
}

/** Longest wait for the request to leave: loading the engine meanwhile beats waiting on a slow handshake. */
const SEND_WAIT_MS = 10;
/** The answer is given up (undefined) after this long without a byte from the server. */
const IDLE_TIMEOUT_MS = 30_000;

/**
 * The plain-URL size probe (the same one-byte ranged GET as urlSource's) through Node's own http(s),
 * which is loaded already: the headless CLI sends it first and loads the engine while it travels. Its
 * connection closes after the answer; no credentials, proxy or redirect are involved (the CLI only
 * sends it where no proxy applies).
 */
export function sendEarlyProbe(url: URL): EarlyProbe {
  let settleSent!: () => void;
  const sent = new Promise<void>((resolve) => (settleSent = resolve));
  const timer = setTimeout(settleSent, SEND_WAIT_MS);
  const answer = new Promise<ProbeAnswer | undefined>((resolve) => {
    const settle = (value: ProbeAnswer | undefined): void => {
      clearTimeout(timer);
      settleSent();
      resolve(value);
    };
    void (url.protocol === 'https:' ? import('node:https') : import('node:http')).then(({ request }) => {
      let req: ClientRequest;
      try {
        // Like the engine's requests, without the URL's user:password (which Node would send).
        const { auth: _credentials, ...target } = urlToHttpOptions(url);
        req = request({ ...target, method: 'GET', agent: false, headers: { range: 'bytes=0-0', 'accept-encoding': 'identity' } });
      } catch {
        settle(undefined);
        return;
      }
      req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy());
      req.once('finish', settleSent);
      req.on('error', () => settle(undefined));
      req.once('close', () => settle(undefined));
      req.once('response', (res) => {
        settle({ statusCode: res.statusCode ?? 0, headers: res.headers });
        // The one byte (or an error text) is not needed: the engine asks again where it must.
        res.destroy();
      });
      req.end();
    }, () => settle(undefined));
  });
  return { sent, answer };
}
