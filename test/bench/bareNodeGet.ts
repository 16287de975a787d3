// A reference for the benchmark, not a downloader: Node reading one plain-http response off a socket
// into a file, with no HTTP parser (the head is skipped), no checks and no fsync.
// Usage: node bareNodeGet.js <http-url> <out-path>
import { closeSync, openSync, writeSync } from 'node:fs';
import { connect } from 'node:net';

const url = new URL(process.argv[2]);
const fd = openSync(process.argv[3], 'w');
const socket = connect(Number(url.port || 80), url.hostname, () => {
  socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
});
let inHead = true;
let position = 0;
socket.on('data', (chunk: Buffer) => {
  let body = chunk;
  if (inHead) {
    const end = chunk.indexOf('\r\n\r\n');
    if (end < 0) throw new Error('response head larger than one read');
    body = chunk.subarray(end + 4);
    inHead = false;
  }
  position += writeSync(fd, body, 0, body.length, position);
});
socket.on('end', () => closeSync(fd));
