/**
 * The loopback OpenAI-compatible test server in a child process, so a benchmark's CPU
 * time is the client's alone. `startServerProcess(options)` resolves with its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OpenAIServerOptions } from '../../test/support/openai-server.ts';

const serverModule = fileURLToPath(new URL('../../test/support/openai-server.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  close(): void;
}

/** Starts the server with JSON-serializable options (no handler or script). */
export async function startServerProcess(
  options: Omit<OpenAIServerOptions, 'handler' | 'script'>,
): Promise<ServerProcess> {
  const code = `
    import { startOpenAIServer } from ${JSON.stringify(serverModule)};
    const server = await startOpenAIServer(${JSON.stringify(options)});
    server.requests.length = 0;
    setInterval(() => { server.requests.length = 0; }, 1000);
    process.stdout.write(server.url + '\\n');
  `;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return { url, close: () => void child.kill() };
}
