#!/usr/bin/env python3
"""Run one QEMU guest under a watchdog and drive it over QMP.

The guest's console is logged to --log.  Lines that carry results (KTAP
"ok"/"not ok" at the first two levels) are echoed.  A console line with
"@@vmtest-qmp ACTION ARGS" makes this script act on the guest over QMP:

  virtio-mem-resize ID BYTES   set the requested-size of virtio-mem ID
  dimm-add ID BYTES            add a memory backend and a pc-dimm ID
  dimm-del ID                  unplug pc-dimm ID (the guest must eject it)

"@@vmtest-done" means the guest is about to power off.  On timeout, or if
the guest dies before that line, the last 50 console lines are printed and
the exit status is non-zero.
"""
import argparse
import collections
import json
import os
import re
import select
import socket
import subprocess
import sys
import time

RESULT = re.compile(r'^( {4})?(not )?ok \d+ ')


class QMP:
    def __init__(self, path):
        self.path = path
        self.sock = None
        self.buf = b''

    def _connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.path)
        self._read()			# greeting
        self.cmd('qmp_capabilities')

    def _read(self):
        while b'\n' not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise OSError('QMP socket closed')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def cmd(self, name, **args):
        if self.sock is None:
            self._connect()
        self.sock.sendall(json.dumps({'execute': name,
                                      'arguments': args}).encode() + b'\n')
        while True:
            msg = self._read()
            if 'return' in msg:
                return msg['return']
            if 'error' in msg:
                raise RuntimeError('%s: %s' % (name, msg['error']['desc']))


def act(qmp, words):
    """Carry out one @@vmtest-qmp request; return a line for the log."""
    what, args = words[0], words[1:]
    if what == 'virtio-mem-resize':
        qmp.cmd('qom-set', path='/machine/peripheral/' + args[0],
                property='requested-size', value=int(args[1]))
    elif what == 'dimm-add':
        qmp.cmd('object-add', **{'qom-type': 'memory-backend-ram',
                                 'id': 'mem-' + args[0], 'size': int(args[1])})
        qmp.cmd('device_add', driver='pc-dimm', id=args[0],
                memdev='mem-' + args[0])
    elif what == 'dimm-del':
        qmp.cmd('device_del', id=args[0])
    else:
        raise RuntimeError('unknown request ' + what)
    return 'done'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--log', required=True, help='console log file')
    ap.add_argument('--qmp', required=True, help='QMP unix socket path')
    ap.add_argument('--timeout', type=int, default=1800, help='seconds')
    ap.add_argument('--verbose', action='store_true',
                    help='echo the whole console')
    ap.add_argument('qemu', nargs=argparse.REMAINDER,
                    help='-- followed by the QEMU command line')
    opt = ap.parse_args()
    cmd = opt.qemu[1:] if opt.qemu[:1] == ['--'] else opt.qemu
    if not cmd:
        ap.error('no QEMU command line')

    if os.path.exists(opt.qmp):
        os.unlink(opt.qmp)
    cmd += ['-qmp', 'unix:%s,server=on,wait=off' % opt.qmp]
    log = open(opt.log, 'w', errors='replace')
    # When each result arrived, for finding the slow tests.
    times = open(opt.log + '.times', 'w')
    t0 = time.time()
    log.write('# ' + ' '.join(cmd) + '\n')
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    qmp = QMP(opt.qmp)
    tail = collections.deque(maxlen=50)
    deadline = time.time() + opt.timeout
    done_at = None
    pending = b''
    status = 0

    def handle(line):
        nonlocal done_at
        tail.append(line)
        log.write(line + '\n')
        log.flush()
        if opt.verbose or RESULT.match(line):
            print(line, flush=True)
        if RESULT.match(line):
            times.write('%7.1f %s\n' % (time.time() - t0, line))
            times.flush()
        if '@@vmtest-qmp ' in line:
            words = line.split('@@vmtest-qmp ', 1)[1].split()
            try:
                res = act(qmp, words)
            except (OSError, RuntimeError, ValueError, IndexError) as e:
                res = 'failed: %s' % e
            log.write('# host: %s -> %s\n' % (' '.join(words), res))
            if res != 'done':
                print('host: %s -> %s' % (' '.join(words), res), flush=True)
        if '@@vmtest-done' in line and done_at is None:
            done_at = time.time()

    while True:
        now = time.time()
        if now > deadline or (done_at and now > done_at + 60):
            proc.kill()
            proc.wait()
            why = 'did not power off' if done_at else \
                'timed out after %ds' % opt.timeout
            print('qemu: guest %s; last console lines:' % why)
            print('\n'.join('  | ' + l for l in tail))
            status = 124 if not done_at else 0
            break
        r, _, _ = select.select([proc.stdout], [], [], 1.0)
        if r:
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                proc.wait()
                break
            pending += data
            *lines, pending = pending.split(b'\n')
            for l in lines:
                handle(l.decode('utf-8', 'replace').rstrip('\r'))
    if pending:
        handle(pending.decode('utf-8', 'replace'))
    log.close()
    if status == 0 and not done_at:
        print('qemu: guest stopped (exit %s) before finishing; last console lines:'
              % proc.returncode)
        print('\n'.join('  | ' + l for l in tail))
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
