import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBubblewrapArgs } from './bubblewrap.js';
import { resolveSandboxOptions } from './sandbox-options.js';

let project: string;
let home: string;
beforeEach(() => {
  project = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-bwrap-')));
  home = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-home-')));
});
afterEach(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** The argument following `flag` at each of its occurrences, joined as `flag a b`. */
const pairs = (args: string[], flag: string, width: number): string[] =>
  args.flatMap((a, i) => (a === flag ? [[a, ...args.slice(i + 1, i + 1 + width)].join(' ')] : []));

describe('buildBubblewrapArgs', () => {
  it('mounts the file system read-only, the project writable, /tmp private, network off', () => {
    const { file, args } = buildBubblewrapArgs({
      command: 'npm test',
      cwd: project,
      sandbox: resolveSandboxOptions({ projectDir: project }),
      home,
    });
    expect(file).toBe('bwrap');
    expect(args).toContain('--unshare-all');
    expect(args).not.toContain('--share-net');
    expect(args).toEqual(expect.arrayContaining(['--die-with-parent', '--new-session']));
    expect(pairs(args, '--ro-bind', 2)).toContain('--ro-bind / /');
    expect(pairs(args, '--tmpfs', 1)).toContain('--tmpfs /tmp');
    expect(pairs(args, '--bind', 2)).toEqual([`--bind ${project} ${project}`]);
    expect(pairs(args, '--chdir', 1)).toEqual([`--chdir ${project}`]);
    // The project bind comes after the private /tmp, or a project under /tmp would vanish.
    expect(args.indexOf('--bind')).toBeGreaterThan(args.indexOf('/tmp'));
    const tail = args.slice(args.indexOf('--') + 1);
    expect(tail[0]).toBe('bash');
    expect(tail.at(-1)).toMatch(/^ulimit .*; npm test$/);
  });

  it('shares the network only when allowed', () => {
    const { args } = buildBubblewrapArgs({
      command: 'true',
      cwd: project,
      sandbox: resolveSandboxOptions({ projectDir: project, allowNetwork: true }),
      home,
    });
    expect(args).toContain('--share-net');
  });

  it('binds only writable paths that exist, empties the home and hides .ralex/state', () => {
    const extra = join(project, '..', `ralex-extra-${process.pid}`);
    mkdirSync(join(project, '.ralex/state'), { recursive: true });
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.netrc'), 'machine x password y');
    const { args } = buildBubblewrapArgs({
      command: 'true',
      cwd: project,
      sandbox: resolveSandboxOptions({ projectDir: project, writablePaths: [extra, '/nonexistent/ralex'] }),
      home,
    });
    expect(pairs(args, '--bind', 2)).toEqual([`--bind ${project} ${project}`]);
    expect(pairs(args, '--tmpfs', 1)).toEqual(
      expect.arrayContaining([`--tmpfs ${home}`, `--tmpfs ${project}/.ralex/state`]),
    );
    // The home is empty as a whole, so its secrets need no mount of their own.
    expect(args.join(' ')).not.toContain('.netrc');
    expect(args.join(' ')).not.toContain('.ssh');
    // Later mounts win: the home is emptied before the project is bound, .ralex made read-only after.
    expect(args.indexOf(home)).toBeLessThan(args.indexOf('--bind'));
    expect(pairs(args, '--ro-bind', 2)).toContain(`--ro-bind ${project}/.ralex ${project}/.ralex`);
    expect(args.lastIndexOf(`${project}/.ralex`)).toBeGreaterThan(args.indexOf('--bind'));
  });

  it('binds toolchain folders and PATH folders of the home back read-only, with credentials inside hidden', () => {
    mkdirSync(join(home, '.cargo/bin'), { recursive: true });
    writeFileSync(join(home, '.cargo/credentials.toml'), 'token = "x"');
    mkdirSync(join(home, 'bin/tools'), { recursive: true });
    mkdirSync(join(home, '.pyenv'));
    const { args } = buildBubblewrapArgs({
      command: 'true',
      cwd: project,
      sandbox: resolveSandboxOptions({ projectDir: project }),
      home,
      path: `${home}/bin/tools:/usr/bin`,
    });
    const ro = pairs(args, '--ro-bind', 2);
    expect(ro).toEqual(
      expect.arrayContaining([
        `--ro-bind ${home}/.cargo/bin ${home}/.cargo/bin`,
        `--ro-bind ${home}/.pyenv ${home}/.pyenv`,
        `--ro-bind ${home}/bin/tools ${home}/bin/tools`,
      ]),
    );
    expect(ro.join('\n')).not.toContain('credentials');
    expect(ro).not.toContain(`--ro-bind ${home} ${home}`);
  });

  it('protects .git and a worktree git dir inside the project', () => {
    mkdirSync(join(project, '.git'));
    mkdirSync(join(project, 'nested/.gitdirs/wt'), { recursive: true });
    mkdirSync(join(project, 'wt'));
    writeFileSync(join(project, 'wt/.git'), `gitdir: ${project}/nested/.gitdirs/wt\n`);
    const { args } = buildBubblewrapArgs({
      command: 'true',
      cwd: join(project, 'wt'),
      sandbox: resolveSandboxOptions({ projectDir: join(project, 'wt') }),
      home,
    });
    expect(pairs(args, '--ro-bind', 2)).toContain(`--ro-bind ${project}/wt/.git ${project}/wt/.git`);
    const outer = buildBubblewrapArgs({
      command: 'true',
      cwd: project,
      sandbox: resolveSandboxOptions({ projectDir: project }),
      home,
    });
    expect(pairs(outer.args, '--ro-bind', 2)).toContain(`--ro-bind ${project}/.git ${project}/.git`);
  });
});
