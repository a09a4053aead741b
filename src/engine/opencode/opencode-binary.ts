import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { delimiter, join } from 'node:path';

/** What `ralex doctor` reports about the optional OpenCode engine. */
export interface OpenCodeDetection {
  available: boolean;
  version?: string;
  /** Why it is not available, with what to do about it. */
  reason?: string;
  binary?: string;
  /** Things that work but not fully, e.g. no ripgrep on PATH. */
  warnings?: string[];
}

/** Whether an executable is on PATH. */
function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

/** The install line `doctor` and errors point to. */
export const OPENCODE_INSTALL_HINT = 'npm install opencode-ai @opencode-ai/sdk';

const require = createRequire(import.meta.url);

/** The folder of an installed package, found the way Node looks (packages whose `exports` hide `package.json` too). */
function packageDir(name: string): string | null {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  }
  return null;
}

/** True when the file starts with an executable image header (ELF, Mach-O or PE), not a script shim. */
function isNativeExecutable(file: string): boolean {
  try {
    const head = readFileSync(file).subarray(0, 4);
    const hex = head.toString('hex');
    return hex === '7f454c46' || hex.startsWith('4d5a') || ['feedfacf', 'cffaedfe', 'cafebabe'].includes(hex);
  } catch {
    return false;
  }
}

/**
 * The path of the `opencode` executable shipped by the `opencode-ai` npm package: its
 * postinstall-placed `bin/opencode.exe` (a native binary on every platform), else the matching
 * platform package (`opencode-<os>-<arch>[-baseline][-musl]`) it depends on. Null when neither exists.
 */
export function resolveOpenCodeBinary(): string | null {
  const main = packageDir('opencode-ai');
  if (main) {
    const placed = join(main, 'bin', 'opencode.exe');
    if (existsSync(placed) && isNativeExecutable(placed)) return placed;
  }
  const os = platform() === 'win32' ? 'windows' : platform();
  const exe = os === 'windows' ? 'opencode.exe' : 'opencode';
  const base = `opencode-${os}-${arch()}`;
  for (const name of [base, `${base}-baseline`, `${base}-musl`, `${base}-baseline-musl`]) {
    const dir = packageDir(name);
    const file = dir ? join(dir, 'bin', exe) : null;
    if (file && existsSync(file) && isNativeExecutable(file)) return file;
  }
  return null;
}

/** Whether the SDK half of the optional dependency can be imported. */
export function hasOpenCodeSdk(): boolean {
  return packageDir('@opencode-ai/sdk') !== null;
}

/** Checks that the OpenCode binary and SDK are installed and that `opencode --version` answers. */
export async function detectOpenCode(
  binary: string | null = resolveOpenCodeBinary(),
): Promise<OpenCodeDetection> {
  if (!binary) {
    return {
      available: false,
      reason: `The OpenCode engine is not installed; run \`${OPENCODE_INSTALL_HINT}\`.`,
    };
  }
  if (!hasOpenCodeSdk()) {
    return {
      available: false,
      binary,
      reason: `@opencode-ai/sdk is missing; run \`${OPENCODE_INSTALL_HINT}\`.`,
    };
  }
  return new Promise((resolve) => {
    execFile(
      binary,
      ['--version'],
      { timeout: 15_000, env: { ...process.env, OPENCODE_DISABLE_AUTOUPDATE: '1' } },
      (error, stdout) => {
        const version = stdout.trim().split(/\s+/).pop();
        if (error || !version) {
          resolve({
            available: false,
            binary,
            reason: `\`${binary} --version\` failed: ${error?.message ?? 'no output'}`,
          });
        } else {
          const warnings = onPath(platform() === 'win32' ? 'rg.exe' : 'rg')
            ? []
            : [
                "ripgrep (rg) is not on PATH: OpenCode's grep and glob tools would download it and fail offline; install ripgrep (Debian: apt-get install ripgrep).",
              ];
          resolve({ available: true, binary, version, ...(warnings.length ? { warnings } : {}) });
        }
      },
    );
  });
}
