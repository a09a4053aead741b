import type { PolicyContext } from '../compiled-rules.js';
import { decide, type PolicyDecision } from '../decision.js';
import { withOverride } from '../security-rules.js';
import type { InvocationResult } from './classify-invocation.js';

const CONTAINER_CLIS = new Set(['docker', 'podman', 'nerdctl']);

/** `run`/`create`/`exec` options that hand a container this machine: privileged, host root, the container socket, host namespaces. */
function hostRootContainer(args: readonly string[]): boolean {
  if (!args.some((a) => a === 'run' || a === 'create' || a === 'exec')) return false;
  return args.some(
    (a, i) =>
      a === '--privileged' ||
      /^--(pid|userns|ipc|uts)=host$/.test(a) ||
      /^--cap-add=(ALL|SYS_ADMIN)$/i.test(a) ||
      (/^(-v|--volume|--mount)$/.test(a) && hostMount(args[i + 1] ?? '')) ||
      (/^(--volume|--mount)=/.test(a) && hostMount(a.slice(a.indexOf('=') + 1))),
  );
}

function hostMount(spec: string): boolean {
  const source = /(?:^|,)(?:source|src)=([^,]+)/.exec(spec)?.[1] ?? spec.split(':')[0] ?? '';
  return (
    source === '/' ||
    /^\/(etc|root|proc|sys|dev|boot|var\/run\/docker\.sock|run\/docker\.sock|run\/podman)/.test(source) ||
    /docker\.sock$/.test(source)
  );
}

/** Checks particular to one program: kill targets, env dumps, awk/sed/tar/sqlite3 that run programs, reverse shells, containers given the host. */
export function programChecks(
  name: string,
  argv: string[],
  ctx: PolicyContext,
  out: InvocationResult,
  subject: string,
): PolicyDecision[] {
  const args = argv.slice(1);
  const found: PolicyDecision[] = [];
  const ask = (id: string, reason: string) =>
    found.push(withOverride(decide('ask', id, reason, subject), ctx.rules));
  if (name === 'kill' || name === 'pkill' || name === 'killall') {
    const targets = args.filter((a) => !/^-[A-Za-z]/.test(a) || /^-\d+$/.test(a));
    if (name === 'kill' && targets.some((t) => t === '1' || t === '-1' || t === '0')) {
      found.push(
        withOverride(
          decide(
            'deny',
            'default:kill-init',
            'Killing PID 1 or every process (-1) takes the machine down.',
            subject,
          ),
          ctx.rules,
        ),
      );
    }
  } else if (
    (name === 'env' || name === 'printenv' || name === 'export' || name === 'set' || name === 'declare') &&
    args.length === 0
  ) {
    out.secretRead = true;
    ask(
      'default:env-dump',
      `${name} without arguments prints every environment variable, including secrets.`,
    );
  } else if (name === 'awk' || name === 'gawk' || name === 'mawk' || name === 'nawk') {
    const program = args.find((a) => !a.startsWith('-')) ?? '';
    if (
      /\bsystem\s*\(|\|\s*"|"\s*\||\|&|getline|>>|print[^;}]*>\s*[A-Za-z_"(]|printf[^;}]*>\s*[A-Za-z_"(]/.test(
        program,
      ) ||
      args.includes('-f')
    ) {
      ask('default:script-exec', 'This awk program can run commands or write files.');
    }
  } else if (name === 'sed') {
    const scripts = args.filter((a, i) => !a.startsWith('-') || args[i - 1] === '-e');
    if (
      scripts.some((s) =>
        /(^|[;\n{}])\s*(\d+|\$|\/[^/]*\/)?(,(\d+|\$|\/[^/]*\/))?\s*!?\s*([eE]|[rRwW]\s)|\/[gpIiMm0-9]*[ew][gpIiMm0-9]*(\s|;|$)/.test(
          s,
        ),
      ) ||
      args.includes('-f')
    ) {
      ask(
        'default:script-exec',
        'This sed script can run commands or read and write other files (e, w, r commands).',
      );
    }
  } else if (
    name === 'tar' &&
    args.some((a) =>
      /^--(to-command|checkpoint-action|use-compress-program|info-script|new-volume-script)|^-I$|^-[a-zA-Z]*F/.test(
        a,
      ),
    )
  ) {
    ask('default:script-exec', 'These tar options run another program.');
  } else if (name === 'git' && argv[1] === undefined) {
    // bare git prints help
  } else if (
    name === 'sqlite3' &&
    args.some((a) =>
      /(^|\n|;)\s*\.(shell|system|output|once|load|save|backup|restore|read|import|excel|cd)\b/.test(a),
    )
  ) {
    ask('default:exec-option', 'This sqlite3 dot-command runs a program or reads or writes other files.');
  } else if (name === 'yarn' && args.length === 0) {
    ask('default:install-packages', 'yarn without arguments installs packages.');
  } else if ((name === 'bundle' || name === 'bundler') && args.length === 0) {
    ask('default:install-packages', 'bundle without arguments installs gems.');
  } else if (name === 'rsync' || name === 'scp') {
    out.network = true;
  } else if (
    ((name === 'nc' || name === 'ncat' || name === 'netcat') &&
      args.some((a) => /^(-[a-zA-Z]*[ec]|--exec|--sh-exec|--lua-exec)(=.*)?$/.test(a))) ||
    (name === 'socat' && args.some((a) => /(^|[,!])(exec|system):/i.test(a)))
  ) {
    found.push(
      withOverride(
        decide(
          'deny',
          'default:reverse-shell',
          `${name} here runs a program with its input and output on a network connection (a reverse shell).`,
          subject,
        ),
        ctx.rules,
      ),
    );
  } else if (CONTAINER_CLIS.has(name) && hostRootContainer(args)) {
    found.push(
      withOverride(
        decide(
          'deny',
          'default:privilege-escalation',
          'A privileged container, or one given the root of this machine or its container socket, is root on this machine.',
          subject,
        ),
        ctx.rules,
      ),
    );
  }
  return found;
}
