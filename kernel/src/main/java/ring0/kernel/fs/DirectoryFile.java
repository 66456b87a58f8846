package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A directory opened read-only (there is no service to list it yet, so it is
 * good for {@code fstat} and {@code fsync}). {@code read} fails with
 * {@code EISDIR}, as on Linux. A host directory keeps its own host
 * descriptor, so {@code fstat} and {@code fsync} reach exactly the directory
 * that was opened, without a second look-up by path.
 * Locking: this object's monitor guards the position and the descriptor.
 */
public final class DirectoryFile implements OpenFile {
    /** The host directory, or {@code null} for the virtual {@code /dev}. */
    private final HostFile host;
    /** Its attributes at open (the answer if a later {@code fstat} fails). */
    private final Stat atOpen;
    private long pos;
    private boolean closed;

    private DirectoryFile(HostFile host, Stat atOpen) {
        this.host = host;
        this.atOpen = atOpen;
    }

    /** The virtual {@code /dev}. */
    static DirectoryFile virtualDev() { return new DirectoryFile(null, DeviceStat.devDirectory()); }

    /** Opens the host directory {@code path} (never following a final symbolic link; {@code EACCES} if unreadable). */
    static DirectoryFile open(Path path) throws FsError {
        HostFile h = HostFile.openDirectory(path);
        try {
            Stat st = h.stat();
            if (st.type() != Stat.S_IFDIR) throw new FsError(Errno.ENOTDIR);
            return new DirectoryFile(h, st);
        } catch (FsError e) {
            h.closeQuietly();
            throw e;
        }
    }

    /**
     * The host directory open as {@code host} (read-only), whose
     * {@code fstat} was {@code st}; {@code ENOTDIR} (and {@code host} closed)
     * if {@code st} is not a directory's.
     */
    static DirectoryFile of(HostFile host, Stat st) throws FsError {
        if (st.type() != Stat.S_IFDIR) {
            host.closeQuietly();
            throw new FsError(Errno.ENOTDIR);
        }
        return new DirectoryFile(host, st);
    }

    @Override public long read(MemorySegment dst, long off, long count) { return -Errno.EISDIR; }

    @Override public long write(MemorySegment src, long off, long count) { return -Errno.EBADF; }

    /** {@code SEEK_SET} and {@code SEEK_CUR} move an opaque position; {@code SEEK_END} is refused. */
    @Override
    public synchronized long lseek(long offset, int whence) {
        long to;
        try {
            to = switch (whence) {
                case SEEK_SET -> offset;
                case SEEK_CUR -> Math.addExact(pos, offset);
                default -> -1;
            };
        } catch (ArithmeticException e) {
            to = -1;
        }
        if (to < 0) return -Errno.EINVAL;
        pos = to;
        return to;
    }

    /** The host's current attributes of the directory ({@code fstat} of its descriptor). */
    @Override
    public synchronized Stat stat() {
        if (host == null || closed) return atOpen;
        try {
            return host.stat();
        } catch (FsError e) {
            return atOpen;
        }
    }

    /**
     * Forces the host directory (its entries: files created or renamed in
     * it), the usual way to make a new file's name durable. The virtual
     * {@code /dev} has nothing to force.
     */
    @Override
    public synchronized int fsync() {
        if (closed) return -Errno.EBADF;
        if (host == null) return 0;
        try {
            host.force();
            return 0;
        } catch (FsError e) {
            return -e.errno;
        }
    }

    @Override
    public synchronized int close() {
        if (closed) return -Errno.EBADF;
        closed = true;
        if (host == null) return 0;
        try {
            host.close();
            return 0;
        } catch (FsError e) {
            return -e.errno;
        }
    }
}
