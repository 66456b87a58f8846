package ring0.kernel.fs;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A directory opened read-only (there is no service to list it yet, so it is
 * good for {@code fstat} and {@code fsync}). {@code read} fails with
 * {@code EISDIR}, as on Linux. Locking: the position is guarded by this object.
 */
public final class DirectoryFile implements OpenFile {
    /** The host directory, or {@code null} for the virtual {@code /dev}. */
    private final Path path;
    private long pos;

    DirectoryFile(Path path) { this.path = path; }

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

    @Override
    public Stat stat() {
        if (path == null) return DeviceStat.devDirectory();
        try {
            HostAttrs a = HostAttrs.read(path);
            return a.toStat(a.size(), null, -1);
        } catch (IOException e) {
            return DeviceStat.devDirectory();
        }
    }

    /**
     * Forces the host directory (its entries: files created or renamed in
     * it), the usual way to make a new file's name durable. The virtual
     * {@code /dev} has nothing to force.
     */
    @Override
    public int fsync() {
        if (path == null) return 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
            return 0;
        } catch (IOException e) {
            return -HostErrors.errno(e);
        }
    }

    @Override public int close() { return 0; }
}
