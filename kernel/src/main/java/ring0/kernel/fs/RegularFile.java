package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;

/**
 * A regular host file opened through the page cache. Every operation holds
 * the cached file's lock for its whole duration, so a read or write is atomic
 * with respect to others on the same file (in any process), and
 * {@code O_APPEND} writes never interleave.
 */
public final class RegularFile implements OpenFile {
    /** Largest file size: 16 TiB, ext4's limit with 4 KiB blocks. Writes beyond fail with {@code EFBIG}. */
    public static final long MAX_SIZE = 1L << 44;

    private final CachedFile file;
    private final boolean readable, writable, append, sync;
    /** Guarded by {@code file.lock}. */
    private long pos;
    /** Guarded by {@code file.lock}. */
    private boolean closed;

    RegularFile(CachedFile file, boolean readable, boolean writable, boolean append, boolean sync) {
        this.file = file;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        this.sync = sync;
    }

    /** The cached file this description reads and writes (for the page cache's tests). */
    CachedFile cached() { return file; }

    /** Reads at the position from the cache. Locking: the file's lock (then the cache lock, on a miss). */
    @Override
    public long read(MemorySegment dst, long off, long count) {
        if (!readable) return -Errno.EBADF;
        file.lock.lock();
        try {
            if (closed) return -Errno.EBADF;
            long n = file.read(pos, dst, off, count);
            pos += n;
            return n;
        } catch (FsError e) {
            return -e.errno;
        } finally {
            file.lock.unlock();
        }
    }

    /**
     * Writes into the cache at the position (at the end with {@code O_APPEND});
     * with {@code O_SYNC}/{@code O_DSYNC} also writes back and forces.
     * Locking: the file's lock (then the cache lock, on a miss).
     */
    @Override
    public long write(MemorySegment src, long off, long count) {
        if (!writable) return -Errno.EBADF;
        file.lock.lock();
        try {
            if (closed) return -Errno.EBADF;
            long at = append ? file.size : pos;
            if (count == 0) return 0;
            if (at >= MAX_SIZE) return -Errno.EFBIG;
            long done = file.write(at, src, off, Math.min(count, MAX_SIZE - at));
            pos = at + done;
            if (sync) {
                int err = file.cache.fsync(file);
                if (err != 0) return -err;
            }
            return done;
        } catch (FsError e) {
            return -e.errno;
        } finally {
            file.lock.unlock();
        }
    }

    /** Locking: the file's lock (for the size, at {@code SEEK_END}). */
    @Override
    public long lseek(long offset, int whence) {
        file.lock.lock();
        try {
            if (closed) return -Errno.EBADF;
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> pos;
                case SEEK_END -> file.size;
                default -> -1;
            };
            if (base < 0) return -Errno.EINVAL;
            long to;
            try {
                to = Math.addExact(base, offset);
            } catch (ArithmeticException e) {
                return -Errno.EINVAL;
            }
            if (to < 0 || to > MAX_SIZE) return -Errno.EINVAL;
            pos = to;
            return to;
        } finally {
            file.lock.unlock();
        }
    }

    /**
     * The file's attributes as the kernel knows them, without asking the
     * host: those of the inode at the last open, the cached size (unflushed
     * writes included), and the time of the last write through the kernel
     * (see {@link CachedFile#stat}). Locking: the file's lock.
     */
    @Override
    public Stat stat() {
        file.lock.lock();
        try {
            return file.stat();
        } finally {
            file.lock.unlock();
        }
    }

    /** Writes the file's dirty pages back and forces it. Locking: the file's lock. */
    @Override
    public int fsync() {
        file.lock.lock();
        try {
            if (closed) return -Errno.EBADF;
            return -file.cache.fsync(file);
        } finally {
            file.lock.unlock();
        }
    }

    /** Drops this description; the last one of the file writes it back. Locking: the file's lock, then the cache lock. */
    @Override
    public int close() {
        file.lock.lock();
        try {
            if (closed) return -Errno.EBADF;
            closed = true;
        } finally {
            file.lock.unlock();
        }
        return -file.cache.release(file);
    }
}
