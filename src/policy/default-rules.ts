import type { DecisionKind } from './decision.js';

/** A default rule for shell commands: token patterns (see command-pattern.ts), a decision and why. */
export interface DefaultCommandRule {
  /** Stable id, `default:...`; users change its decision with `defaults:` in security_rules.yaml. */
  id: string;
  match: readonly string[];
  decision: DecisionKind;
  reason: string;
}

/** Baseline decision per agent tool: reading, listing, searching and writing in the project are fine; deleting asks. */
export const DEFAULT_TOOL_DECISIONS: Readonly<Record<string, DecisionKind>> = {
  read_file: 'allow',
  list_directory: 'allow',
  search_files: 'allow',
  write_file: 'allow',
  edit_file: 'allow',
  delete_file: 'ask',
  run_command: 'allow',
};

const SUBS = (s: string) => `{${s.trim().split(/\s+/).join(',')}}`;

/** The default shell rules. Among matching defaults the strictest wins. */
export const DEFAULT_COMMAND_RULES: readonly DefaultCommandRule[] = [
  // deny: privilege escalation, system destruction, shutdown, persistence, anti-forensics
  {
    id: 'default:privilege-escalation',
    match: [
      '{sudo,su,doas,pkexec,runuser,chroot,sg,newgrp,setcap,setpriv,capsh,visudo,passwd,chpasswd,useradd,usermod,userdel,adduser,deluser,groupadd,groupmod,gpasswd}',
      'chmod {u+s,g+s,+s,[2-7][0-7][0-7][0-7]}',
    ],
    decision: 'deny',
    reason: 'It escalates privileges or changes system accounts.',
  },
  {
    id: 'default:disk-destruction',
    match: [
      '{mkfs,mkfs.*,mke2fs,mkswap,fdisk,sfdisk,cfdisk,gdisk,sgdisk,parted,wipefs,blkdiscard,hdparm,badblocks,mount,umount,losetup,cryptsetup,swapon,swapoff,mknod,debugfs,tune2fs,e2fsck,fsck,fsck.*,zpool,lvremove,vgremove,pvremove}',
    ],
    decision: 'deny',
    reason: 'It formats, partitions or mounts disks.',
  },
  {
    id: 'default:shutdown',
    match: [
      '{shutdown,reboot,halt,poweroff,kexec,telinit}',
      'init {0,1,6,S,s}',
      `systemctl ${SUBS('poweroff reboot halt suspend hibernate kexec rescue emergency isolate')}`,
      'loginctl {poweroff,reboot,terminate-user,terminate-session,kill-user}',
    ],
    decision: 'deny',
    reason: 'It shuts down or reboots the machine.',
  },
  {
    id: 'default:system-config',
    match: [
      `systemctl ${SUBS('stop disable mask kill start restart enable daemon-reload edit set-default')}`,
      'service * {stop,start,restart}',
      '{launchctl,sysctl,modprobe,insmod,rmmod,iptables,ip6tables,nft,ufw,firewall-cmd,update-alternatives,update-rc.d,chkconfig,timedatectl,hostnamectl,ldconfig,killall5}',
      'ip {link,addr,route} {set,add,del,delete,flush}',
    ],
    decision: 'deny',
    reason: 'It changes system services or system configuration.',
  },
  {
    id: 'default:persistence',
    match: ['crontab', '{at,batch,systemd-run}'],
    decision: 'deny',
    reason: 'It schedules commands to run later, outside Ralex.',
  },
  {
    id: 'default:history-tampering',
    match: ['history -c', 'history -d', 'history -w', 'history -r', 'set +o history', 'shopt -u -o history'],
    decision: 'deny',
    reason: 'It clears or rewrites shell history, which hides what was done.',
  },
  // ask: deleting, git history and remote, installs, deploys, migrations, network, containers
  {
    id: 'default:delete',
    match: ['{rm,rmdir,unlink,shred,truncate,srm,wipe}', 'find -delete', 'git clean', 'git rm'],
    decision: 'ask',
    reason: 'It deletes files.',
  },
  {
    id: 'default:git-push',
    match: ['git push', 'git send-email'],
    decision: 'ask',
    reason: 'git push publishes commits to a remote.',
  },
  {
    id: 'default:git-rewrite',
    match: [
      'git reset --hard',
      'git reset --merge',
      'git checkout -f',
      'git checkout --force',
      'git branch -D',
      'git branch --delete',
      'git branch -d',
      'git stash {drop,clear}',
      'git reflog {expire,delete}',
      'git gc --prune*',
      'git prune',
      'git filter-branch',
      'git filter-repo',
      'git update-ref -d',
      'git tag -d',
      'git worktree remove',
      'git replace',
    ],
    decision: 'ask',
    reason: 'It discards commits, branches or uncommitted work.',
  },
  {
    id: 'default:git-network',
    match: [`git ${SUBS('fetch pull clone ls-remote submodule archive request-pull')}`, 'git remote update'],
    decision: 'ask',
    reason: 'It talks to a git remote over the network.',
  },
  {
    id: 'default:install-packages',
    match: [
      `{npm,pnpm} ${SUBS('install i ci add update up upgrade uninstall remove rm un r link ln dedupe rebuild audit outdated login adduser')}`,
      `yarn ${SUBS('install add upgrade up remove link global dedupe audit')}`,
      `bun ${SUBS('install i add update remove rm link upgrade')}`,
      '{pip,pip3,pipx} {install,uninstall,download,wheel}',
      'python* -m pip {install,uninstall,download}',
      'uv {add,remove,sync,lock,tool}',
      'uv pip {install,uninstall,sync}',
      '{poetry,pdm,hatch,rye} {install,add,remove,update,lock,sync}',
      'pipenv {install,uninstall,update,sync,lock}',
      '{conda,mamba,micromamba} {install,create,update,remove,uninstall}',
      'gem {install,update,uninstall}',
      '{bundle,bundler} {install,update,add}',
      'cargo {install,add,remove,update,uninstall,fetch}',
      'go {get,install}',
      'go mod {download,tidy,vendor}',
      'composer {install,require,update,remove}',
      '{apt,apt-get,aptitude,dpkg,yum,dnf,zypper,pacman,apk,snap,flatpak,nix-env,port,emerge,rpm}',
      'brew {install,upgrade,uninstall,reinstall,update,tap,link,remove}',
      'dotnet add package',
      'dotnet tool {install,update}',
      'deno {install,cache}',
      'rustup {install,update,toolchain,target,component}',
      '{nvm,fnm,volta,asdf,sdk,mise,pyenv,rbenv} {install,uninstall}',
      'cpanm',
      'luarocks {install,remove}',
      'mix deps.get',
      'opam install',
      'cabal install',
      'stack install',
    ],
    decision: 'ask',
    reason: 'It installs or removes packages, which downloads and runs code from the network.',
  },
  {
    id: 'default:deploy',
    match: [
      '{npm,pnpm,yarn,bun,cargo,gem,twine,poetry,dart,flutter,mix,dotnet} publish',
      'twine upload',
      'gem push',
      '{vercel,netlify,fly,flyctl,heroku,firebase,gcloud,gsutil,aws,az,serverless,sls,pulumi,eb,wrangler,doctl,railway,render,cdk,sam,copilot,amplify,ansible,ansible-playbook,surge,now}',
      'terraform {apply,destroy,import,state,taint,untaint,refresh}',
      'tofu {apply,destroy,import,state}',
      'terragrunt',
      `kubectl ${SUBS('apply create delete replace patch scale rollout set edit drain cordon uncordon taint exec run expose label annotate cp port-forward')}`,
      'helm {install,upgrade,uninstall,rollback,delete,push,repo}',
      'gh',
      'glab',
      'hub',
      '{make,gmake,just,task} {deploy*,release*,publish*,install,uninstall,upload*,push*,ship*}',
      '{npm,pnpm,yarn,bun} run {deploy*,release*,publish*,ship*}',
      '{yarn,pnpm} {deploy*,release*}',
    ],
    decision: 'ask',
    reason: 'It deploys, publishes or changes remote infrastructure.',
  },
  {
    id: 'default:migration',
    match: [
      'python* manage.py {migrate,flush,sqlflush,loaddata,dbshell}',
      'django-admin {migrate,flush}',
      '{rails,rake,bin/rails,bin/rake} db:*',
      'alembic {upgrade,downgrade,stamp}',
      'prisma {migrate,db}',
      'knex migrate:*',
      '{sequelize,sequelize-cli} db:*',
      '{flyway,liquibase,dbmate,goose,migrate,atlas}',
      'diesel {migration,database}',
      'sqlx {migrate,database}',
      'typeorm {migration:*,schema:*}',
      'dotnet ef database',
      'drizzle-kit {push,migrate,drop}',
      'php artisan {migrate*,db:*}',
      'artisan {migrate*,db:*}',
      '{npm,pnpm,yarn,bun} run {migrate*,db:*}',
      '{make,just} {migrate*,db*}',
    ],
    decision: 'ask',
    reason: 'It runs a database migration.',
  },
  {
    id: 'default:network',
    match: [
      '{curl,wget,aria2c,nc,ncat,netcat,socat,telnet,ftp,tftp,ssh,scp,sftp,rsync,mosh,http,https,xh,ping,ping6,dig,nslookup,whois,traceroute,nmap,lwp-request,lwp-download}',
      'python* -m http.server',
      'ssh-copy-id',
    ],
    decision: 'ask',
    reason: 'It accesses the network, which is off for commands unless approved.',
  },
  {
    id: 'default:containers',
    match: [
      `{docker,podman} ${SUBS('run exec rm rmi kill stop start restart pull push build buildx system volume network container image login logout cp commit tag save load create swarm service stack secret plugin update')}`,
      `{docker-compose,podman-compose} ${SUBS('up down run exec rm pull push build create kill stop start restart')}`,
      `{docker,podman} compose ${SUBS('up down run exec rm pull push build create kill stop start restart')}`,
    ],
    decision: 'ask',
    reason: 'It runs or changes containers, images or volumes.',
  },
  {
    id: 'default:kill-process',
    match: ['{kill,pkill,killall,skill}'],
    decision: 'ask',
    reason: 'It stops running processes.',
  },
  {
    id: 'default:permissions',
    match: [
      '{chown,chgrp,chattr,setfacl}',
      'chmod -R',
      'chmod --recursive',
      'chmod {777,666,a+w,o+w,a+rwx,o+rwx,ugo+rwx}',
    ],
    decision: 'ask',
    reason: 'It changes ownership or opens file permissions widely.',
  },
  {
    id: 'default:keys',
    match: ['{ssh-keygen,ssh-add,ssh-agent,gpg,gpg2}', 'openssl {genrsa,genpkey,req,rsa,pkcs12}'],
    decision: 'ask',
    reason: 'It creates or uses cryptographic keys.',
  },
  {
    id: 'default:raw-disk-io',
    match: ['dd'],
    decision: 'ask',
    reason: 'dd copies raw bytes and can overwrite anything it is pointed at.',
  },
];
