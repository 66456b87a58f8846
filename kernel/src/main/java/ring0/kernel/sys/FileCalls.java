package ring0.kernel.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import ring0.kernel.fs.Errno;
import ring0.kernel.fs.Stat;
import ring0.kernel.proc.Process;

/**
 * TRUSTED. The file system calls whose arguments point into the program's
 * memory, with the checks of the Linux thunks (docs/abi.md §5) made again at
 * run time. The descriptor table checks descriptors and ranges once more.
 *
 * <p>Locking: none here; see {@code FdTable}.
 */
final class FileCalls {
    private FileCalls() {}

    /** Longest path: 4095 bytes, Linux's {@code PATH_MAX} less the NUL. */
    static final int PATH_MAX = 4095;

    /** {@code read(fd, buf, count)}: count ≤ buf's length (unsigned) else -EFAULT. */
    static long read(Process p, long fd, long buf, long count) {
        MemorySegment b = UserMemory.bytes(p.memory(), buf);
        if (b == null || Long.compareUnsigned(count, b.byteSize()) > 0) return -Errno.EFAULT;
        return p.fds().read(fd, b, 0, count);
    }

    /** {@code write(fd, buf, count)}: count ≤ buf's length (unsigned) else -EFAULT. */
    static long write(Process p, long fd, long buf, long count) {
        MemorySegment b = UserMemory.bytes(p.memory(), buf);
        if (b == null || Long.compareUnsigned(count, b.byteSize()) > 0) return -Errno.EFAULT;
        return p.fds().write(fd, b, 0, count);
    }

    /**
     * {@code open(path, flags, mode)}: the whole byte array is the path; longer
     * than 4095 bytes gives -ENAMETOOLONG, a NUL inside it -EINVAL. Flags and
     * mode are C {@code int}s: the low 32 bits count, as on Linux.
     */
    static long open(Process p, long path, long flags, long mode) {
        MemorySegment b = UserMemory.bytes(p.memory(), path);
        if (b == null) return -Errno.EFAULT;
        long bad = checkPath(b);
        if (bad != 0) return bad;
        return p.fds().open(b.toArray(ValueLayout.JAVA_BYTE), (int) flags, (int) mode);
    }

    /**
     * Whether byte array {@code b} may be a path (for {@code open} and
     * {@code spawn}): 0, or {@code -ENAMETOOLONG} if it is longer than 4095
     * bytes, {@code -EINVAL} if a NUL byte is inside it.
     */
    static long checkPath(MemorySegment b) {
        if (b.byteSize() > PATH_MAX) return -Errno.ENAMETOOLONG;
        for (long i = 0; i < b.byteSize(); i++) if (b.get(ValueLayout.JAVA_BYTE, i) == 0) return -Errno.EINVAL;
        return 0;
    }

    /** {@code fstat(fd, buf)}: buf's length must be at least 144 (unsigned) else -EFAULT. */
    static long fstat(Process p, long fd, long buf) {
        MemorySegment b = UserMemory.bytes(p.memory(), buf);
        if (b == null || b.byteSize() < Stat.SIZE) return -Errno.EFAULT;
        return p.fds().fstat(fd, b, 0);
    }
}
