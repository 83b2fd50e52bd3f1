/**
 * What the TLS browser test runs, as a council's IT team would: a throwaway certificate authority and a
 * certificate for localhost made with openssl, Debian's nginx configured from docs/nginx.conf.example, and
 * child processes that are always stopped (their whole process group) however a test ends.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { run } from '../../support/child';

/** Debian installs nginx in /usr/sbin, which an unprivileged user's PATH may lack. */
export function findNginx(): string | null {
  const candidates = [
    process.env.NGINX_PATH,
    ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'nginx')),
    '/usr/sbin/nginx',
  ];
  return candidates.find((path): path is string => path !== undefined && existsSync(path)) ?? null;
}

export interface Certificates {
  /** The throwaway authority's certificate (PEM), which a test client trusts. */
  caPem: string;
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the server certificate's public key: what Chromium is told to trust, and only it. */
  spkiSha256: string;
}

/**
 * A certificate authority made for this run only, and a server certificate it signed for localhost and
 * 127.0.0.1, valid for a day; the keys never leave `dir`.
 */
export async function makeCertificates(dir: string): Promise<Certificates> {
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run(
    'openssl',
    [
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=Consent Kiosk test authority',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await run(
    'openssl',
    ['req', '-new', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
    dir,
  );
  await writeFile(
    join(dir, 'server.ext'),
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      'server.ext',
      '-out',
      'server.crt',
    ],
    dir,
  );
  const certPem = await readFile(join(dir, 'server.crt'), 'utf8');
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return {
    caPem: await readFile(join(dir, 'ca.crt'), 'utf8'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}

/** The documented nginx configuration, tested as it is written. */
export const NGINX_EXAMPLE = new URL('../../../docs/nginx.conf.example', import.meta.url).pathname;

/** Replaces one exact piece of the documented configuration; fails if the documentation no longer has it. */
function replaceOnce(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) {
    throw new Error(
      `docs/nginx.conf.example should contain "${from}" exactly once (found ${count}): update the test with the documentation`,
    );
  }
  return text.replace(from, to);
}

/**
 * docs/nginx.conf.example with the test's addresses and certificate, inside a main configuration that keeps
 * everything of nginx's (pid, logs, buffers) in `dir`, so no system file is read or written.
 */
export async function writeNginxConfig(
  dir: string,
  options: { listenPort: number; servicePort: number; certificates: Certificates },
): Promise<string> {
  let site = await readFile(NGINX_EXAMPLE, 'utf8');
  site = replaceOnce(site, 'listen 443 ssl;', `listen 127.0.0.1:${options.listenPort} ssl;`);
  site = replaceOnce(site, 'server_name records.council.gov.uk;', 'server_name localhost;');
  site = replaceOnce(site, '/etc/ssl/records.crt', options.certificates.certFile);
  site = replaceOnce(site, '/etc/ssl/records.key', options.certificates.keyFile);
  site = replaceOnce(site, 'http://127.0.0.1:8080', `http://127.0.0.1:${options.servicePort}`);
  await writeFile(join(dir, 'site.conf'), site);
  const main = [
    // As root, nginx would hand its workers to "nobody", who cannot write the buffers in this private dir.
    process.getuid?.() === 0 ? 'user root root;' : '',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    `    access_log ${join(dir, 'access.log')};`,
    `    client_body_temp_path ${join(dir, 'client_body')};`,
    `    proxy_temp_path ${join(dir, 'proxy')};`,
    `    fastcgi_temp_path ${join(dir, 'fastcgi')};`,
    `    uwsgi_temp_path ${join(dir, 'uwsgi')};`,
    `    scgi_temp_path ${join(dir, 'scgi')};`,
    `    include ${join(dir, 'site.conf')};`,
    '}',
    '',
  ].join('\n');
  const file = join(dir, 'nginx.conf');
  await writeFile(file, main);
  return file;
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTPS request that trusts only the test's authority, from a chosen loopback address (Linux answers
 * on all of 127.0.0.0/8), so that the proxy sees a client other than the browser.
 */
export function httpsFetch(
  url: string,
  options: {
    ca: string;
    localAddress?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        ca: options.ca,
        localAddress: options.localAddress,
        method: options.method ?? 'GET',
        headers: options.headers,
        timeout: 30_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
