// A reference for the benchmark, not a downloader: Node reading one plain-http response off a socket
// into a file, with no HTTP parser (the head is skipped) and no checks.
// Usage: node bareNodeGet.js <http-url> <out-path> [--reused-buffer]
// Plain: Node's default reads (a fresh 64 KiB buffer each), no fsync. --reused-buffer: every read goes
// into one 512 KiB buffer and is written from there, then the data is synced, as the engine does: what
// Node can do here when no byte is copied or allocated in user space.
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { connect, type NetConnectOpts } from 'node:net';

const url = new URL(process.argv[2]);
const fd = openSync(process.argv[3], 'w');
const reusedBuffer = process.argv.includes('--reused-buffer');
let inHead = true;
let position = 0;

function take(chunk: Buffer): true {
  let body = chunk;
  if (inHead) {
    const end = chunk.indexOf('\r\n\r\n');
    if (end < 0) throw new Error('response head larger than one read');
    body = chunk.subarray(end + 4);
    inHead = false;
  }
  position += writeSync(fd, body, 0, body.length, position);
  return true;
}

const target: NetConnectOpts = { port: Number(url.port || 80), host: url.hostname };
const onread = { buffer: Buffer.allocUnsafeSlow(512 * 1024), callback: (bytes: number, buffer: Uint8Array) => take(Buffer.from(buffer.buffer, buffer.byteOffset, bytes)) };
const socket = connect(reusedBuffer ? { ...target, onread } : target, () => {
  socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
});
if (!reusedBuffer) socket.on('data', take);
socket.on('end', () => {
  if (reusedBuffer) fdatasyncSync(fd);
  closeSync(fd);
});
