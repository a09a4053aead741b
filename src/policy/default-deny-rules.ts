import type { DefaultCommandRule } from './default-rules.js';

/** `{a,b,c}` from a space-separated list: subcommand alternatives in a pattern. */
const SUBS = (s: string) => `{${s.trim().split(/\s+/).join(',')}}`;

/** Default rules that deny: privilege escalation, disk destruction, shutdown, system changes, persistence, anti-forensics. */
export const DEFAULT_DENY_RULES: readonly DefaultCommandRule[] = [
  {
    id: 'default:privilege-escalation',
    match: [
      '{sudo,sudoedit,su,doas,pkexec,runuser,chroot,sg,newgrp,setcap,setpriv,capsh,visudo,passwd,chpasswd,useradd,usermod,userdel,adduser,deluser,groupadd,groupmod,gpasswd}',
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
    id: 'default:user-config',
    match: [
      '{npm,pnpm,yarn} config {set,delete,edit,rm}',
      '{npm,pnpm} {set,token,profile}',
      'pip config {set,unset,edit}',
      'poetry config',
      'cargo login',
      'go env -w',
      'go env -u',
      'corepack {enable,disable,install,prepare}',
      'rustup {default,set,override}',
      'git lfs install',
    ],
    decision: 'ask',
    reason: 'It changes user-wide tool configuration outside the project.',
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
];
