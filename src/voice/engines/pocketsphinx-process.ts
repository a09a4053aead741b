import { execFileSync, spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RalexError } from '../../errors.js';
import { createOutputReader, type Hypothesis } from './decoder-output.js';

export type { Hypothesis } from './decoder-output.js';

/** A pocketsphinx decoder kept running between requests. */
export interface WarmRecogniser {
  /**
   * Decodes 16 kHz mono 16-bit PCM; requests queue one after another. `grammar`: the name of a
   * `<name>.fsg` file in the recogniser's `grammarDir` to decode this utterance with.
   */
  decode(
    pcm: Buffer,
    options?: { signal?: AbortSignal; timeoutMs?: number; grammar?: string },
  ): Promise<Hypothesis>;
  /** False once the process died or was closed. */
  alive(): boolean;
  close(): Promise<void>;
}

/**
 * Starts `pocketsphinx_batch` reading its control file from a FIFO: each request writes the
 * samples to a file and one control line, and the process (models already loaded) writes the
 * hypothesis, its timed segmentation and the words' posteriors (CTM), unbuffered, to a second
 * FIFO. Resolves once a probe utterance has been decoded,
 * so the models are loaded. `pocketsphinx_continuous -infile` would load them per request.
 * With `grammarDir`, each request names the finite-state grammar (`<name>.fsg` there) it is
 * decoded with, on a third FIFO read in step with the control file (`-fsgctl`).
 */
export async function startWarmRecogniser(
  binary: string,
  modelArgs: readonly string[],
  opts: { grammarDir?: string; probeGrammar?: string } = {},
): Promise<WarmRecogniser> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ralex-sphinx-'));
  // Node's stdio pipes are sockets, which pocketsphinx cannot open as files: both directions are FIFOs.
  const ctlFifo = path.join(dir, 'ctl.fifo');
  const hypFifo = path.join(dir, 'out.fifo');
  execFileSync('mkfifo', [ctlFifo, hypFifo]);
  // O_RDWR opens a FIFO without waiting for the other side, and a socket over the fd is polled by
  // the event loop: blocking fs opens/reads would each hold a libuv threadpool thread for good
  // (four of them: three warm decoders starved the fourth's start, a deadlock seen in the bench).
  const ctl = new net.Socket({
    fd: openSync(ctlFifo, constants.O_RDWR | constants.O_NONBLOCK),
    readable: false,
  });
  const hyp = new net.Socket({
    fd: openSync(hypFifo, constants.O_RDWR | constants.O_NONBLOCK),
    writable: false,
  });
  ctl.on('error', () => undefined);
  hyp.on('error', () => undefined);
  // One FIFO for all three outputs: pocketsphinx writes them in order (hyp, hypseg, ctm lines) per utterance.
  const args = ['-ctl', ctlFifo, '-adcin', 'yes', '-cepdir', dir, '-cepext', '.raw'];
  let fsgctl: net.Socket | undefined;
  if (opts.grammarDir) {
    const fsgFifo = path.join(dir, 'fsg.fifo');
    execFileSync('mkfifo', [fsgFifo]);
    fsgctl = new net.Socket({
      fd: openSync(fsgFifo, constants.O_RDWR | constants.O_NONBLOCK),
      readable: false,
    });
    fsgctl.on('error', () => undefined);
    args.push('-fsgctl', fsgFifo, '-fsgdir', opts.grammarDir, '-fsgext', '.fsg');
  }
  args.push('-hyp', hypFifo, '-hypseg', hypFifo, '-ctm', hypFifo);
  args.push('-logfn', path.join(dir, 'decoder.log'), ...modelArgs);
  const child = spawn(binary, args, { stdio: 'ignore' });

  let dead = false;
  let buffered = '';
  const waiting = new Map<string, (h: Hypothesis | Error) => void>();
  const failAll = (error: Error) => {
    dead = true;
    for (const settle of waiting.values()) settle(error);
    waiting.clear();
  };
  const reader = createOutputReader((id, hypothesis) => waiting.get(id)?.(hypothesis));
  hyp.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      reader.line(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
    // Posterior lines follow the segmentation at once; if one never comes, answer without it.
    if (waiting.size > 0)
      setTimeout(() => {
        for (const id of waiting.keys()) reader.flush(id);
      }, 400).unref();
  });
  child.on('exit', async (code, signal) => {
    const log = await readFile(path.join(dir, 'decoder.log'), 'utf8').catch(() => '');
    const errors = log.split('\n').filter((line) => /^(ERROR|FATAL)/.test(line));
    const why = errors.slice(-3).join(' ') || `exit ${code ?? signal}`;
    failAll(new RalexError('internal_error', `pocketsphinx stopped: ${why}`, { details: { args } }));
  });
  child.on('error', (error) =>
    failAll(new RalexError('internal_error', `pocketsphinx failed: ${error.message}`)),
  );

  let counter = 0;
  const decodeOne = async (
    pcm: Buffer,
    signal?: AbortSignal,
    timeoutMs = 20_000,
    grammar?: string,
  ): Promise<Hypothesis> => {
    if (dead) throw new RalexError('internal_error', 'pocketsphinx is not running.');
    if (fsgctl && !grammar)
      throw new RalexError('internal_error', 'This recogniser needs a grammar per utterance.');
    if (signal?.aborted) throw new RalexError('cancelled', 'Transcription was cancelled.');
    const id = `u${++counter}`;
    const file = path.join(dir, `${id}.raw`);
    await writeFile(file, pcm);
    try {
      return await new Promise<Hypothesis>((resolve, reject) => {
        const settle = (result: Hypothesis | Error) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiting.delete(id);
          if (result instanceof Error) reject(result);
          else resolve(result);
        };
        // A decoder that stops answering is killed: the next request gets a fresh one.
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          settle(new RalexError('timeout', `pocketsphinx gave no answer within ${timeoutMs} ms.`));
        }, timeoutMs);
        const onAbort = () => {
          child.kill('SIGKILL');
          settle(new RalexError('cancelled', 'Transcription was cancelled.'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(id, settle);
        // The grammar's line first: the decoder reads it when it takes the utterance's line.
        if (fsgctl) fsgctl.write(`${grammar}\n`);
        ctl.write(`${id}\n`);
      });
    } finally {
      await rm(file, { force: true });
    }
  };

  let queue: Promise<unknown> = Promise.resolve();
  const recogniser: WarmRecogniser = {
    decode(pcm, options = {}) {
      const run = queue.then(() => decodeOne(pcm, options.signal, options.timeoutMs, options.grammar));
      queue = run.catch(() => undefined);
      return run;
    },
    alive: () => !dead,
    async close() {
      dead = true;
      child.kill('SIGTERM');
      ctl.destroy();
      hyp.destroy();
      fsgctl?.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    // A probe of 0.1 s of silence: returns once the models are loaded, or throws the decoder's error.
    await recogniser.decode(Buffer.alloc(3200), { timeoutMs: 60_000, grammar: opts.probeGrammar });
  } catch (error) {
    await recogniser.close();
    throw error;
  }
  return recogniser;
}
