// A floor for the benchmark, not a downloader: the least a Node process does to fetch an object over N
// connections when it is told the size. One ranged GET per connection through node:http, each body
// written at its offset into one file as it arrives; no size probe, no checks, no fsync.
// Usage: node bareNodeRanges.js <http-url> <out-path> <size> <connections>
import { closeSync, openSync, writeSync } from 'node:fs';
import { get } from 'node:http';

const [url, out, sizeArg, connectionsArg] = process.argv.slice(2);
const size = Number(sizeArg);
const connections = Number(connectionsArg);
const share = Math.ceil(size / connections);
const fd = openSync(out, 'w');
let open = 0;

for (let start = 0; start < size; start += share) {
  const end = Math.min(size, start + share) - 1;
  let position = start;
  open++;
  get(url, { headers: { range: `bytes=${start}-${end}` }, agent: false }, (response) => {
    if (response.statusCode !== 206) throw new Error(`HTTP ${response.statusCode} for bytes ${start}-${end}`);
    response.on('data', (chunk: Buffer) => (position += writeSync(fd, chunk, 0, chunk.length, position)));
    response.on('end', () => {
      if (--open > 0) return;
      closeSync(fd);
      process.exit(0);
    });
  });
}
