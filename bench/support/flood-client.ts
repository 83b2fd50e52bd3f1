/**
 * The attacker of bench/flood.ts, in a process of its own (as an attacker is a client of its own, and so that
 * its loops do not slow the measuring tablets' event loop): `connections` loops of wrong-password sign-ins to
 * `url` until SIGTERM, then one line of JSON on stdout with the answers counted and their latencies.
 * Usage: tsx bench/support/flood-client.ts <url> <connections> <username>
 */
const [url = '', connections = '32', username = 'admin'] = process.argv.slice(2);
const statuses: Record<string, number> = {};
const latencies: number[] = [];
let running = true;

async function loop(k: number) {
  let i = 0;
  while (running) {
    const t0 = performance.now();
    let key: string;
    try {
      const res = await fetch(`${url}/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: `wrong password ${k}-${i++}` }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      key = String(res.status);
    } catch (error) {
      key = error instanceof Error ? error.name : 'error';
    }
    latencies.push(performance.now() - t0);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
}

const loops = Array.from({ length: Number(connections) }, (_, k) => loop(k));
process.once('SIGTERM', async () => {
  running = false;
  await Promise.all(loops);
  process.stdout.write(`${JSON.stringify({ statuses, requests: latencies.length, latencies })}\n`);
  process.exit(0);
});
process.stdout.write('ready\n');
