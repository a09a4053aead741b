"""Runs a command and measures its whole process tree, for the engine bench.

    python3 process-tree-usage.py OUT_FILE command [args...]

GNU time counts only the children a command waits for. Ralex forks its git commands from a
helper process (src/git/git-launcher.ts) that outlives it by a moment and is never waited for, so
its CPU (and its git processes') would go uncounted. Here this process becomes the tree's child
subreaper (PR_SET_CHILD_SUBREAPER): descendants that outlive the command are reparented to it
and waited for, so RUSAGE_CHILDREN holds every process of the tree. Writes one line to OUT_FILE:
the fork's epoch time in ms, the command's wall time in ms (fork to its exit, not its
leftovers'), user and system CPU seconds and the peak RSS (KiB) of the largest single process.
Exits with the command's exit code. Linux only (prctl).
"""
import ctypes
import os
import resource
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
out_file, argv = sys.argv[1], sys.argv[2:]
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("process-tree-usage: prctl(PR_SET_CHILD_SUBREAPER) failed")
forked_at = time.time() * 1000
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status = os.waitpid(pid, 0)
wall_ms = (time.perf_counter() - start) * 1000
while True:  # the descendants that outlived the command, reparented here
    try:
        os.wait()
    except ChildProcessError:
        break
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out_file, "w") as f:
    f.write(f"{forked_at:.1f} {wall_ms:.2f} {usage.ru_utime} {usage.ru_stime} {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
