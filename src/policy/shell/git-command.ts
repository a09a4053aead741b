import type { PolicyDecision } from '../decision.js';
import { decide } from '../decision.js';

/** Git configuration keys that are harmless to set for one command with `git -c`. */
const SAFE_GIT_CONFIG =
  /^(color\.|advice\.|user\.(name|email)$|core\.quotepath$|init\.defaultbranch$|commit\.gpgsign$|tag\.gpgsign$|log\.|format\.pretty$|pager\.[a-z-]+$|diff\.(color|renames|algorithm|nonoprefix|noprefix)|merge\.conflictstyle$|pull\.rebase$|column\.|status\.|i18n\.|help\.|rerere\.enabled$|push\.default$|fetch\.prune$|safe\.directory$|maintenance\.auto$|gc\.auto$|core\.(autocrlf|safecrlf|filemode|ignorecase|abbrev)$)/i;

/** Git's own subcommands; anything else may be an alias, and an alias starting with `!` runs a shell command. */
const GIT_SUBCOMMANDS = new Set(
  `add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap
  check-ref-format checkout checkout-index cherry cherry-pick citool clean clone column commit commit-graph
  commit-tree config count-objects credential describe diff diff-files diff-index diff-tree difftool fetch
  fetch-pack filter-branch fmt-merge-msg for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id
  grep gui hash-object help hook http-push index-pack init instaweb interpret-trailers log ls-files ls-remote
  ls-tree mailinfo mailsplit maintenance merge merge-base merge-file merge-index merge-tree mergetool mktag
  mktree multi-pack-index mv name-rev notes pack-objects pack-refs patch-id prune prune-packed pull push
  range-diff read-tree rebase reflog remote repack replace request-pull rerere reset restore rev-list
  rev-parse revert rm send-email send-pack shortlog show show-branch show-index show-ref sparse-checkout
  stage stash status stripspace submodule switch symbolic-ref tag unpack-file unpack-objects update-index
  update-ref update-server-info var verify-commit verify-pack verify-tag version whatchanged worktree
  write-tree lfs filter-repo`.split(/\s+/),
);

/** Global options that take a value in the next word. */
const WITH_VALUE = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--super-prefix',
  '--config-env',
  '--exec-path',
  '--list-cmds',
]);

/** A git invocation with its global options removed, plus what the options imply. */
export interface GitCommand {
  /** `git <subcommand> ...` without global options. */
  argv: string[];
  /** Directories given with -C, --git-dir, --work-tree (read checks). */
  dirs: string[];
  findings: PolicyDecision[];
}

/**
 * Strips git's global options (`-C dir`, `-c key=value`, `--git-dir=...`, `-p`, ...) so rules see
 * `git push ...`. `-c` with a key that can run programs (core.pager, core.sshCommand, alias.*,
 * core.fsmonitor, ...) and `--exec-path`, `--config-env` are asked; `git config` that writes is asked,
 * and `git config --global/--system` is denied because it writes outside the project.
 */
export function normalizeGit(argv: readonly string[], subject: string): GitCommand {
  const out: GitCommand = { argv: [argv[0] ?? 'git'], dirs: [], findings: [] };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = WITH_VALUE.has(flag) ? (inline ?? argv[++i] ?? '') : inline;
    if (flag === '-c' || flag === '--config-env' || flag === '--exec-path') {
      const key = (value ?? '').split('=')[0] ?? '';
      if (flag !== '-c' || !SAFE_GIT_CONFIG.test(key)) {
        out.findings.push(
          decide(
            'ask',
            'default:git-config-exec',
            `git ${flag} ${value ?? ''} can make git run another program.`,
            subject,
          ),
        );
      }
    } else if (flag === '-C' || flag === '--git-dir' || flag === '--work-tree') {
      if (value) out.dirs.push(value);
    }
  }
  out.argv.push(...argv.slice(i));
  const sub = out.argv[1];
  if (sub === 'config') out.findings.push(...gitConfig(out.argv.slice(2), subject));
  else if (sub !== undefined && !GIT_SUBCOMMANDS.has(sub)) {
    out.findings.push(
      decide(
        'ask',
        'default:git-alias',
        `"git ${sub.split('\u0000').join('$…')}" is not a git command; an alias can run any shell command.`,
        subject,
      ),
    );
  }
  return out;
}

function gitConfig(args: string[], subject: string): PolicyDecision[] {
  if (args.some((a) => a === '--global' || a === '--system' || a.startsWith('--file') || a === '-f')) {
    return [
      decide(
        'deny',
        'default:git-config-outside',
        'git config --global/--system/--file writes configuration outside the project.',
        subject,
      ),
    ];
  }
  const reading = args.some((a) =>
    /^(--get|--get-all|--get-regexp|--list|-l|--show-origin|--show-scope|--name-only)$/.test(a),
  );
  const positionals = args.filter((a) => !a.startsWith('-'));
  if (reading || positionals.length <= 1) return [];
  const key = positionals[0] ?? '';
  if (SAFE_GIT_CONFIG.test(key)) return [];
  return [
    decide(
      'ask',
      'default:git-config-exec',
      `Setting git config "${key}" can make git run another program.`,
      subject,
    ),
  ];
}
