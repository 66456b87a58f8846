package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;

/**
 * One process's descriptor table (TRUSTED): the system calls on files.
 *
 * <p>Descriptors 0, 1 and 2 start bound to the process's standard streams;
 * {@link #open} takes the lowest free number below {@link #MAX_FDS}. Every
 * method returns its result or {@code -errno} and never throws for anything a
 * program can cause. Descriptor arguments are {@code long} because the
 * system-call layer passes raw 64-bit registers: a number outside
 * {@code [0, MAX_FDS)} is {@code EBADF}, never truncated into range. Buffer
 * ranges are checked again here ({@code EFAULT}), whatever the caller checked.
 *
 * <p>Locking: the table itself is guarded by this object's monitor, held only
 * to look up, install or remove a descriptor, never during I/O. The
 * operations then lock as the open file describes ({@link RegularFile} holds
 * its file's lock; see {@link PageCache}). A process normally has one thread,
 * but the kernel may call {@link #closeAll} from another while it runs.
 */
public final class FdTable {
    /** Descriptors per process ({@code RLIMIT_NOFILE}). */
    public static final int MAX_FDS = 256;

    private final Vfs vfs;
    private final StdStreams std;
    private final OpenFile[] files = new OpenFile[MAX_FDS];

    /** A table for a process of {@code vfs} whose standard streams are {@code std}. */
    public FdTable(Vfs vfs, StdStreams std) {
        this.vfs = vfs;
        this.std = std;
        files[0] = std.open(Device.STDIN);
        files[1] = std.open(Device.STDOUT);
        files[2] = std.open(Device.STDERR);
    }

    /**
     * {@code open(path, flags, mode)}: the new descriptor or {@code -errno}.
     * {@code path} is the program's bytes (cut at a NUL by {@link Vfs#resolve}).
     * Locking: resolves and opens without the table's monitor, then takes it
     * to install; if the table is full the file is closed again ({@code EMFILE}).
     */
    public long open(byte[] path, int flags, int mode) {
        synchronized (this) {
            if (lowestFree() < 0) return -Errno.EMFILE;
        }
        OpenFile f;
        try {
            f = vfs.open(path, flags, mode, std);
        } catch (FsError e) {
            return -e.errno;
        }
        synchronized (this) {
            int fd = lowestFree();
            if (fd >= 0) {
                files[fd] = f;
                return fd;
            }
        }
        f.close();
        return -Errno.EMFILE;
    }

    /**
     * {@code read(fd, dst+off, count)}: bytes read (at most {@link OpenFile#MAX_RW_COUNT}),
     * 0 at end, or {@code -errno}. Locking: the monitor for the lookup only; the
     * copy runs under the open file's lock (a regular file's cache lock order).
     */
    public long read(long fd, MemorySegment dst, long off, long count) {
        OpenFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        if (!inside(dst, off, count)) return -Errno.EFAULT;
        return f.read(dst, off, Math.min(count, OpenFile.MAX_RW_COUNT));
    }

    /**
     * {@code write(fd, src+off, count)}: bytes written or {@code -errno}.
     * Locking: the monitor for the lookup only; then the open file's lock.
     */
    public long write(long fd, MemorySegment src, long off, long count) {
        OpenFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        if (!inside(src, off, count)) return -Errno.EFAULT;
        return f.write(src, off, Math.min(count, OpenFile.MAX_RW_COUNT));
    }

    /**
     * {@code lseek(fd, offset, whence)}: the new position or {@code -errno}
     * ({@code EINVAL} for an unknown whence or a negative result, {@code ESPIPE}
     * on streams). Locking: the monitor for the lookup only; then the open file's lock.
     */
    public long lseek(long fd, long offset, long whence) {
        OpenFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        if (whence < 0 || whence > OpenFile.SEEK_END) return -Errno.EINVAL;
        return f.lseek(offset, (int) whence);
    }

    /**
     * {@code fstat(fd, dst+off)}: writes the 144-byte {@link Stat} image,
     * returns 0 or {@code -errno}. Locking: the monitor for the lookup only;
     * a regular file's lock while its attributes are read.
     */
    public long fstat(long fd, MemorySegment dst, long off) {
        OpenFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        if (!inside(dst, off, Stat.SIZE)) return -Errno.EFAULT;
        f.stat().encode(dst, off);
        return 0;
    }

    /**
     * {@code fsync(fd)}: 0 or {@code -errno} (see "Durability" in docs/kernel.md).
     * Locking: the monitor for the lookup only; a regular file's lock during
     * write-back and force.
     */
    public long fsync(long fd) {
        OpenFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        return f.fsync();
    }

    /**
     * {@code close(fd)}: 0 or {@code -errno}. The descriptor is free afterwards
     * even if the close reports an error (a failed write-back), as on Linux.
     * Locking: takes the table's monitor to remove the descriptor, then closes
     * without it.
     */
    public long close(long fd) {
        OpenFile f;
        synchronized (this) {
            f = get(fd);
            if (f == null) return -Errno.EBADF;
            files[(int) fd] = null;
        }
        return f.close();
    }

    /**
     * Closes every descriptor (process exit): dirty data of files no other
     * descriptor holds is written back. Returns 0, or the first error a close
     * reported. Locking: as {@link #close}.
     */
    public long closeAll() {
        long first = 0;
        for (int fd = 0; fd < MAX_FDS; fd++) {
            OpenFile f;
            synchronized (this) {
                f = files[fd];
                files[fd] = null;
            }
            if (f == null) continue;
            long r = f.close();
            if (r < 0 && first == 0) first = r;
        }
        return first;
    }

    /** The standard streams this table's descriptors 0, 1 and 2 were opened on (a child process gets the same). */
    public StdStreams std() { return std; }

    /** The open file behind {@code fd}, or {@code null} (for tests and the kernel's own use). Locking: the monitor. */
    public synchronized OpenFile get(long fd) {
        return fd >= 0 && fd < MAX_FDS ? files[(int) fd] : null;
    }

    /** How many descriptors are open. Locking: the monitor. */
    public synchronized int openCount() {
        int n = 0;
        for (OpenFile f : files) if (f != null) n++;
        return n;
    }

    private int lowestFree() {
        for (int i = 0; i < MAX_FDS; i++) if (files[i] == null) return i;
        return -1;
    }

    private static boolean inside(MemorySegment seg, long off, long count) {
        return off >= 0 && count >= 0 && off <= seg.byteSize() && count <= seg.byteSize() - off;
    }
}
