#!/usr/bin/env python3
"""How fast this disk makes small appends durable, alone and side by side.

N threads each write 200 B and fdatasync their own file, 1500 times, into room reserved
with fallocate (as the store's segments do), in `--append` growing the file instead, or in
`--written` room that was zero-filled first. Prints the mean time per sync of each thread and
the syncs per second of all together.

    python3 bench/disk/fdatasync_threads.py --threads 1
    python3 bench/disk/fdatasync_threads.py --threads 4 --dir /path/on/the/disk
"""
import argparse
import os
import tempfile
import threading
import time

SYNCS = 1500
WRITE = b"x" * 200


def run(path, room, out, index):
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    try:
        size = SYNCS * len(WRITE) + 4096
        if room == "fallocated":
            os.posix_fallocate(fd, 0, size)
        elif room == "written":
            os.pwrite(fd, b"\0" * size, 0)
            os.fsync(fd)
        start = time.perf_counter()
        for k in range(SYNCS):
            os.pwrite(fd, WRITE, k * len(WRITE))
            os.fdatasync(fd)
        out[index] = (time.perf_counter() - start) / SYNCS * 1e6
    finally:
        os.close(fd)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dir", default=None, help="a folder on the disk to measure")
    room = parser.add_mutually_exclusive_group()
    room.add_argument("--append", dest="room", action="store_const", const="append")
    room.add_argument("--written", dest="room", action="store_const", const="written")
    parser.set_defaults(room="fallocated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        out = [0.0] * args.threads
        threads = [threading.Thread(target=run, args=(os.path.join(folder, f"f{i}"), args.room, out, i))
                   for i in range(args.threads)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    print(f"{args.room}, {args.threads} thread(s): mean µs per sync {[round(v) for v in out]}, "
          f"{round(args.threads * SYNCS / elapsed)} syncs/s together")


if __name__ == "__main__":
    main()
