import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RalexError } from '../errors.js';

/** A certificate and key for HTTPS, and where they came from. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  source: 'given' | 'generated' | 'state';
  certFile: string;
}

/**
 * The HTTPS certificate for `ralex serve --tls`: the given files, or a self-signed one generated
 * once with openssl into `.ralex/state/tls/` for localhost and this machine's addresses (phones
 * need HTTPS for the microphone). The phone has to trust it once.
 */
export async function loadTlsMaterial(options: {
  stateDir: string;
  certFile?: string;
  keyFile?: string;
  hosts: string[];
}): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) {
      throw new RalexError(
        'bad_request',
        'Give both --tls-cert and --tls-key, or neither (a self-signed certificate is then generated).',
      );
    }
    return {
      cert: read(options.certFile),
      key: read(options.keyFile),
      source: 'given',
      certFile: options.certFile,
    };
  }
  const dir = join(options.stateDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile))
    return { cert: read(certFile), key: read(keyFile), source: 'state', certFile };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const altNames = [
    'DNS:localhost',
    ...options.hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)),
  ];
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '825',
      '-subj',
      '/CN=Ralex',
      '-addext',
      `subjectAltName=${[...new Set(altNames)].join(',')}`,
    ]);
  } catch (error) {
    throw new RalexError(
      'internal_error',
      `Could not generate a TLS certificate with openssl: ${(error as Error).message}`,
      {
        hint: 'Install openssl, or pass --tls-cert and --tls-key.',
      },
    );
  }
  return { cert: read(certFile), key: read(keyFile), source: 'generated', certFile };
}

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new RalexError('bad_request', `Cannot read ${file}: ${(error as Error).message}`);
  }
}
