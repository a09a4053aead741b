import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RalexError } from '../../errors.js';

/** One hypothesis from the recogniser. */
export interface Hypothesis {
  text: string;
  /** Path score (log base 1.0001, negative; closer to 0 is better); 0 for an empty result. */
  score: number;
}

/** A pocketsphinx decoder kept running between requests. */
export interface WarmRecogniser {
  /** Decodes 16 kHz mono 16-bit PCM; requests queue one after another. */
  decode(pcm: Buffer, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Hypothesis>;
  /** False once the process died or was closed. */
  alive(): boolean;
  close(): Promise<void>;
}

/**
 * Starts `pocketsphinx_batch` reading its control file from a FIFO: each request writes the
 * samples to a file and one control line, and the process (models already loaded) prints one
 * hypothesis line, flushed. Measured on 2 cores: no per-request start cost, unlike
 * `pocketsphinx_continuous -infile`, which loads the acoustic model every time.
 */
export async function startWarmRecogniser(
  binary: string,
  modelArgs: readonly string[],
): Promise<WarmRecogniser> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ralex-sphinx-'));
  const fifo = path.join(dir, 'ctl.fifo');
  // Node's stdio pipes are sockets, which pocketsphinx cannot open as a file: hypotheses come through a FIFO too.
  const hypFifo = path.join(dir, 'hyp.fifo');
  execFileSync('mkfifo', [fifo, hypFifo]);
  const args = ['-ctl', fifo, '-adcin', 'yes', '-cepdir', dir, '-cepext', '.raw', '-hyp', hypFifo];
  args.push('-logfn', path.join(dir, 'decoder.log'), ...modelArgs);
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore' });
  let dead = false;
  let buffered = '';
  const waiting = new Map<string, (h: Hypothesis | Error) => void>();
  const failAll = (error: Error) => {
    dead = true;
    for (const settle of waiting.values()) settle(error);
    waiting.clear();
  };
  const onHypothesisData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const match = /^(.*)\((u\d+) (-?\d+)\)\s*$/.exec(line);
      if (match) waiting.get(match[2] ?? '')?.({ text: (match[1] ?? '').trim(), score: Number(match[3]) });
      newline = buffered.indexOf('\n');
    }
  };
  child.on('exit', (code, signal) =>
    failAll(new RalexError('internal_error', `pocketsphinx exited (${code ?? signal}).`)),
  );
  child.on('error', (error) =>
    failAll(new RalexError('internal_error', `pocketsphinx failed: ${error.message}`)),
  );

  // Opening a FIFO blocks until the other side opens it: both at once, or the decoder and we deadlock.
  const opened = await Promise.race([
    Promise.all([open(fifo, 'w'), open(hypFifo, 'r')]),
    new Promise<null>((resolve) => child.once('exit', () => resolve(null))),
  ]);
  if (!opened) {
    // Release our own blocked opens by opening the other ends without blocking.
    const ends = [
      open(fifo, constants.O_RDONLY | constants.O_NONBLOCK),
      open(hypFifo, constants.O_WRONLY | constants.O_NONBLOCK),
    ];
    for (const end of await Promise.allSettled(ends)) if (end.status === 'fulfilled') await end.value.close();
    const log = await readFile(path.join(dir, 'decoder.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    const errors = log
      .split('\n')
      .filter((line) => /^(ERROR|FATAL)/.test(line))
      .slice(-3);
    throw new RalexError('internal_error', `pocketsphinx did not start: ${errors.join(' ') || 'no log'}`, {
      details: { args },
    });
  }
  const [ctl, hyp] = opened;
  const hypStream = hyp.createReadStream();
  hypStream.on('data', (chunk) => onHypothesisData(chunk as Buffer));
  hypStream.on('error', () => undefined);

  let counter = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const decodeOne = async (pcm: Buffer, signal?: AbortSignal, timeoutMs = 20_000): Promise<Hypothesis> => {
    if (dead) throw new RalexError('internal_error', 'pocketsphinx is not running.');
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
        ctl.write(`${id}\n`).catch((error: Error) => settle(error));
      });
    } finally {
      await rm(file, { force: true });
    }
  };

  return {
    decode(pcm, options = {}) {
      const run = queue.then(() => decodeOne(pcm, options.signal, options.timeoutMs));
      queue = run.catch(() => undefined);
      return run;
    },
    alive: () => !dead,
    async close() {
      dead = true;
      await ctl.close().catch(() => undefined);
      hypStream.destroy();
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
