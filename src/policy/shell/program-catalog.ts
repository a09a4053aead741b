/** Sets of program names the shell analysis reasons about. Data only. */

const words = (s: string): ReadonlySet<string> => new Set(s.trim().split(/\s+/));

/** Programs and builtins that neither read nor write files given as arguments. */
export const INERT_PROGRAMS = words(`
  echo printf true false date sleep seq expr basename dirname pwd whoami id groups uname hostname
  which type whereis test [ [[ exit set export unset alias unalias local declare typeset readonly read wait
  shift return tput clear yes nproc getconf locale arch logname tty cd pushd popd dirs : hash help
  trap ulimit umask shopt let printenv env true jobs fg bg disown break continue history command eval
`);

/** Programs a developer runs every day: allowed unless a default rule or a detector says otherwise. */
export const KNOWN_PROGRAMS = new Set([
  ...INERT_PROGRAMS,
  ...words(`
  ls ll la dir vdir cat head tail less more grep egrep fgrep rg ag ack find fd fdfind tree wc sort uniq cut tr
  sed awk gawk mawk nawk jq yq xq diff cmp comm paste join column nl fold fmt rev tac xxd od hexdump strings
  file stat du df realpath readlink mkdir touch cp mv ln tee time timeout nice xargs watch nohup ps pgrep
  free uptime lsof top htop vmstat iostat md5sum sha1sum sha256sum sha512sum shasum cksum b2sum base64
  base32 tar zip unzip gzip gunzip zcat bzip2 bunzip2 bzcat xz unxz xzcat zstd unzstd 7z diffstat patch
  iconv envsubst numfmt split csplit shuf look column man info whatis apropos tldr cal bc dc
  git tig gitk source . chmod sh bash zsh dash
  stdbuf setsid unbuffer caffeinate builtin exec flock coproc ionice chrt taskset cross-env valgrind
  unittest venv doctest pdb json.tool timeit cProfile compileall py_compile build pydoc uvicorn gunicorn flask
  npm npx node nodejs pnpm pnpx yarn bun bunx deno corepack tsc tsx ts-node vitest jest mocha ava tap
  eslint prettier biome vite webpack rollup esbuild swc parcel next nuxt astro svelte-kit turbo nx lerna
  playwright cypress storybook ng vue-cli-service react-scripts sass postcss tailwindcss stylelint
  htmlhint markdownlint markdownlint-cli2 remark commitlint changeset husky lint-staged knip depcheck
  python python3 python2 pypy pypy3 pip pip3 pytest py.test tox nox black ruff flake8 pylint mypy pyright
  isort coverage bandit pyflakes pycodestyle pydocstyle uv uvx poetry pipenv pdm hatch rye ipython
  jupyter sphinx-build mkdocs pre-commit django-admin
  cargo rustc rustfmt rustup rust-analyzer cargo-clippy clippy-driver wasm-pack
  go gofmt goimports golangci-lint staticcheck gopls dlv
  make gmake cmake ctest ninja meson bazel bazelisk buck pants just task mage scons autoreconf autoconf
  automake libtool pkg-config gcc g++ cc c++ clang clang++ clang-format clang-tidy ld ar nm objdump
  javac java jar mvn mvnw gradle gradlew kotlinc kotlin scala scalac sbt lein clojure clj
  dotnet msbuild nuget mono
  ruby irb bundle bundler rake rspec rubocop gem erb
  php composer phpunit phpstan psalm php-cs-fixer artisan
  perl prove cpanm lua luajit luarocks R Rscript julia
  elixir mix iex erl erlc rebar3 ghc ghci cabal stack swift swiftc xcodebuild xcrun dart flutter elm zig
  nim crystal ocaml dune opam
  docker docker-compose podman kubectl helm terraform tofu terragrunt packer vagrant
  shellcheck shfmt hadolint yamllint actionlint protoc buf sqlite3 semgrep hugo jekyll doxygen
  gh glab hub
  kill pkill killall
  openssl ssh-keygen gpg
  curl wget
`),
]);

/** Shells: `-c CODE` runs code, a file argument runs a script, nothing runs stdin. */
export const SHELLS = words('sh bash zsh dash ksh mksh ash fish busybox-sh rbash csh tcsh');

/** Interpreters of other languages and the flags that take inline code. */
export const CODE_INTERPRETERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['python', ['-c']],
  ['python2', ['-c']],
  ['python3', ['-c']],
  ['pypy', ['-c']],
  ['pypy3', ['-c']],
  ['node', ['-e', '--eval', '-p', '--print']],
  ['nodejs', ['-e', '--eval', '-p', '--print']],
  ['deno', ['eval']],
  ['bun', ['-e', '--eval', '-p', '--print']],
  ['perl', ['-e', '-E']],
  ['ruby', ['-e']],
  ['php', ['-r']],
  ['lua', ['-e']],
  ['luajit', ['-e']],
  ['Rscript', ['-e']],
  ['R', ['-e']],
  ['julia', ['-e', '--eval']],
  ['osascript', ['-e']],
  ['pwsh', ['-c', '-Command', '-command']],
  ['powershell', ['-c', '-Command', '-command']],
  ['tclsh', []],
  ['expect', ['-c']],
]);

/** Programs that fetch data from the network: piping their output into an interpreter is download-and-execute. */
export const NETWORK_FETCHERS = words(
  'curl wget aria2c nc ncat netcat socat telnet ftp tftp http https xh lwp-request lwp-download GET POST fetch ssh scp sftp',
);

/** Programs that talk to the network at all (fetchers plus remote shells and sync tools). */
export const NETWORK_PROGRAMS = new Set([
  ...NETWORK_FETCHERS,
  ...words('rsync mosh ping ping6 dig nslookup whois traceroute nmap'),
]);

/** True when the words decode or rewrite data (base64 -d, xxd -r, openssl -d, gunzip, tr, rev): an obfuscation signal before an interpreter. */
export function isDecoder(argv: readonly string[]): boolean {
  const name = argv[0] ?? '';
  const args = argv.slice(1);
  if (name === 'base64' || name === 'base32' || name === 'basenc')
    return args.some((a) => /^(-[a-zA-Z]*[dD][a-zA-Z]*|--decode)$/.test(a));
  if (name === 'xxd') return args.some((a) => /^-[a-z]*r/.test(a));
  if (name === 'openssl') return args.some((a) => a === '-d' || a === 'base64' || a === 'enc');
  if (/^(gzip|bzip2|xz|lzma|zstd|lz4|brotli|compress)$/.test(name))
    return args.some((a) => /^(-[a-zA-Z0-9]*d[a-zA-Z0-9]*|--decompress|--uncompress)$/.test(a));
  // tr rewrites characters: `echo "ez -ez /" | tr ez rf | sh` hides the command as surely as base64.
  return /^(uudecode|gpg|rev|tr|gunzip|zcat|gzcat|bunzip2|bzcat|unxz|xzcat|unlzma|lzcat|unzstd|zstdcat|lz4cat|unlz4|uncompress)$/.test(
    name,
  );
}
