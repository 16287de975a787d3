import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The emulator in a child process (its CLI), so it does not share the benchmark's event loop. */
export async function startEmulatorProcess(args: string[] = []): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'emulator', 'cli.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /base url: (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { baseUrl, child };
}
