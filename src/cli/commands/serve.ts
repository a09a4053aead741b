import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { RalexError } from '../../errors.js';
import { startGitLauncher } from '../../git/git-launcher.js';
import { LOG_LEVELS, type LogLevel } from '../../server/request-log.js';
import { loadTlsMaterial } from '../../server/tls-certificate.js';
import { action } from '../cli-output.js';
import { printPairing } from './pairing.js';
import { withProjectOption } from './project-option.js';
import { printRecovered } from './recovery-notice.js';
import { trustOnStart, untrustedNotice } from './trust.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/**
 * `ralex serve [--project DIR] [--host H] [--port P] [--log-level L]`: the HTTP/WebSocket
 * server, the OpenAI API and the web app, until Ctrl-C. Prints the URL, the token and a pairing
 * link and QR code for a phone; request logs (JSON lines) go to stderr.
 */
export function registerServeCommand(program: Command): void {
  withProjectOption(
    program
      .command('serve')
      .description('serve the web app, the OpenAI-compatible API and live events')
      .option('--host <host>', 'address to listen on (env RALEX_HOST; default 127.0.0.1)')
      .option('--port <port>', 'port to listen on (env RALEX_PORT; default 8000; 0 picks a free one)')
      .option('--no-qr', 'do not print the pairing QR code')
      .option(
        '--tls',
        'serve HTTPS with a self-signed certificate made once in .ralex/state/tls (phones need HTTPS for the microphone)',
      )
      .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
      .option('--tls-key <file>', 'the key of --tls-cert (PEM)')
      .option(
        '--log-level <level>',
        `request log level on stderr: ${LOG_LEVELS.join(', ')} (env RALEX_LOG_LEVEL; default server.log_level, info)`,
      )
      .option(
        '--trust',
        "trust the project's .ralex/config/security_rules.yaml as it is now (see ralex trust)",
      ),
  ).action(
    action(
      async (options: {
        project: string;
        host?: string;
        port?: string;
        qr: boolean;
        tls?: boolean;
        tlsCert?: string;
        tlsKey?: string;
        logLevel?: string;
        trust?: boolean;
      }) => {
        const logLevel =
          parseLogLevel(options.logLevel, '--log-level') ??
          parseLogLevel(process.env.RALEX_LOG_LEVEL, 'RALEX_LOG_LEVEL');
        const [{ createRuntime }, { createServer }, { loadOrCreateToken }] = await Promise.all([
          import('../../runtime.js'),
          import('../../server/create-server.js'),
          import('../../server/auth-token.js'),
        ]);
        // Every command the server runs calls git: forked from the small launcher process, not
        // from the server's large one, and off its event loop (git/git-launcher.ts).
        startGitLauncher();
        if (options.trust) await trustOnStart(options.project);
        const rt = await createRuntime({ projectDir: options.project, serving: true });
        printRecovered(rt.recovered);
        const notice = untrustedNotice(rt.policy.trust, rt.preferencesTrust);
        if (notice) process.stderr.write(notice);
        const { env, preferences } = rt.config;
        const host = options.host ?? env.host ?? preferences.server.host;
        const port = parsePort(options.port) ?? env.port ?? preferences.server.port;
        const token = loadOrCreateToken(rt.paths.tokenFile, env.token);
        const webDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));
        const wantsTls = Boolean(options.tls || options.tlsCert || options.tlsKey);
        const tls = wantsTls
          ? await loadTlsMaterial({
              stateDir: rt.paths.stateDir,
              certFile: options.tlsCert,
              keyFile: options.tlsKey,
              hosts: [host, lanAddress() ?? '127.0.0.1'],
            })
          : null;
        const app = await createServer(rt, {
          token: token.value,
          webDir,
          log: { level: logLevel ?? preferences.server.log_level },
          ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}),
        });
        const scheme = tls ? 'https' : 'http';
        try {
          await app.listen({ host, port });
        } catch (error) {
          await rt.close();
          const code = (error as NodeJS.ErrnoException).code;
          throw new RalexError(
            'bad_request',
            `Cannot listen on ${host}:${port}: ${(error as Error).message}`,
            {
              hint:
                code === 'EADDRINUSE'
                  ? 'Another program uses that port: pass --port with another one (0 picks a free port).'
                  : undefined,
            },
          );
        }
        const address = app.server.address();
        const actualPort = typeof address === 'object' && address ? address.port : port;
        const shownHost = host === '0.0.0.0' || host === '::' ? (lanAddress() ?? '127.0.0.1') : host;
        process.stdout.write(
          `Ralex is serving ${rt.root}\n  ${scheme}://${shownHost}:${actualPort}  (OpenAI base URL: ${scheme}://${shownHost}:${actualPort}/v1)\n`,
        );
        if (!LOOPBACK.test(host)) {
          process.stdout.write('  Listening beyond this machine: every request needs the token below.\n');
        }
        if (tls?.source === 'generated' || tls?.source === 'state') {
          process.stdout.write(
            `  HTTPS with a self-signed certificate (${tls.certFile}); a phone asks once to trust it.\n`,
          );
        } else if (!tls && !LOOPBACK.test(host)) {
          process.stdout.write(
            '  Plain HTTP beyond this machine: phones only allow the microphone over HTTPS (add --tls).\n',
          );
        }
        await printPairing({ url: `${scheme}://${shownHost}:${actualPort}`, token, qr: options.qr });
        // `ralex run` in this project becomes a thin client of this process (docs/run-socket.md).
        const { serveRunSocket } = await import('../../server/run-socket/run-socket-server.js');
        const runSocket = await serveRunSocket(rt, {
          token: token.value,
          onSkip: (reason) => process.stderr.write(`  ralex run will not use this server: ${reason}\n`),
        });
        void rt.registry.refresh();
        // The offline recogniser starts when the web app first connects, so the first spoken
        // command does not wait for it, and an idle server without clients stays small.
        app.server.once('upgrade', () => {
          void import('../../server/voice-service.js')
            .then(({ voiceService }) => voiceService(rt).warmUp())
            .catch(() => undefined);
        });
        const stop = async () => {
          await runSocket?.close();
          await app.close();
          await rt.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    ),
  );
}

/** The first non-loopback IPv4 address: what a phone on the same network dials. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

function parseLogLevel(text: string | undefined, from: string): LogLevel | undefined {
  if (text === undefined || text === '') return undefined;
  const level = text.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new RalexError('bad_request', `${from} ${text} is not a log level.`, {
    hint: `Use one of: ${LOG_LEVELS.join(', ')}.`,
  });
}

function parsePort(text?: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RalexError('bad_request', `--port ${text} is not a port number.`, {
      hint: 'Use a whole number from 0 to 65535.',
    });
  }
  return port;
}
