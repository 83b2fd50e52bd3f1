/**
 * Builds the app once with `vite build`, serves the production bundle with `vite preview` on a free
 * 127.0.0.1 port, and hands its address to the tests as `inject('baseURL')`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The production build's address, e.g. http://127.0.0.1:41234/ */
    baseURL: string;
  }
}

const HOST = '127.0.0.1';
const BUILD_TIMEOUT_MS = 180_000;
const READY_TIMEOUT_MS = 30_000;
/** Colour codes, stripped from captured output. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Spawns a vite command in its own process group, capturing (not inheriting) its output. */
function vite(root: string, args: string[]): Running {
  const child = spawn(join(root, 'node_modules', '.bin', 'vite'), args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > 200_000) text = text.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : null)));
  });
  return { child, output: () => text.replace(ANSI, ''), exited };
}

/** Kills a process group started by `vite()` and waits for it to go (SIGKILL after 5 s). */
async function stop(running: Running): Promise<void> {
  const { pid } = running.child;
  if (pid === undefined || running.child.exitCode !== null || running.child.signalCode !== null) return;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5_000);
  await running.exited.catch(() => undefined);
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function build(root: string): Promise<void> {
  const started = Date.now();
  const running = vite(root, ['build']);
  const timer = setTimeout(() => void stop(running), BUILD_TIMEOUT_MS);
  const code = await running.exited.finally(() => clearTimeout(timer));
  if (code !== 0) {
    throw new Error(`e2e: \`vite build\` failed (exit ${code}). Its output:\n\n${running.output()}`);
  }
  console.log(`e2e: vite build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Starts `vite preview` and resolves once GET / answers 200; rejects with its output otherwise. */
async function preview(root: string, port: number): Promise<Running> {
  const running = vite(root, ['preview', '--host', HOST, '--port', String(port), '--strictPort']);
  let exitCode: number | null | undefined;
  running.exited.then(
    (code) => {
      exitCode = code;
    },
    () => {
      exitCode = -1;
    },
  );
  const url = `http://${HOST}:${port}/`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(
        `e2e: \`vite preview\` exited (${exitCode}) before serving ${url}. Its output:\n\n${running.output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return running;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  await stop(running);
  throw new Error(
    `e2e: \`vite preview\` did not answer 200 at ${url} within ${READY_TIMEOUT_MS} ms (${last}). Its output:\n\n${running.output()}`,
  );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = project.config.root;
  await build(root);

  let server: Running | undefined;
  let port = 0;
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    try {
      server = await preview(root, port);
    } catch (error) {
      // Another process may have taken the port between probing and binding; try a fresh one.
      if (attempt >= 3) throw error;
    }
  }

  const running = server;
  const killOnExit = () => {
    if (running.child.pid !== undefined) {
      try {
        process.kill(-running.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  const baseURL = `http://${HOST}:${port}/`;
  project.provide('baseURL', baseURL);
  console.log(`e2e: serving the production build at ${baseURL}`);

  return async () => {
    process.off('exit', killOnExit);
    await stop(running);
  };
}
