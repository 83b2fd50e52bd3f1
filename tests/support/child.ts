/**
 * Child processes for tests that run the real thing (the compiled records service, nginx, openssl): each in a
 * process group of its own, its output captured, always stoppable however a test ends; and a wait until
 * one answers 200.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Child {
  child: ChildProcess;
  /** What it printed on stdout and stderr so far (the last 100 kB). */
  output: () => string;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM to its process group, SIGKILL after 5 s; resolves once it has exited. */
  stop: () => Promise<void>;
}

/** Spawns a command in a process group of its own, capturing (not inheriting) its output. */
export function startChild(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): Child {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      text += `\n${error.message}`;
      resolve(-1);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : null)));
  });
  const signal = (name: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => text, exited, stop };
}

/** Runs a command to its end; rejects with its output when it fails. */
export async function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  const running = startChild(command, args, { cwd, env: { PATH: process.env.PATH ?? '' } });
  const code = await running.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${running.output()}`);
}

/**
 * Polls `url` until it answers 200, or fails with what `child` printed (when it exits, or after `timeoutMs`).
 * `get` fetches the status (the default is fetch; an https check against a test CA passes its own).
 */
export async function waitUntilOk(
  url: string,
  child: Child,
  name: string,
  get: (url: string) => Promise<number> = async (u) => (await fetch(u)).status,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.child.exitCode !== null) break;
    try {
      const status = await get(url);
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer 200 at ${url} (${last}). Its output:\n${child.output()}`);
}
