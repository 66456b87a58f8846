package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;

/**
 * {@code /dev/null}: reads see end of file, writes vanish. Like Linux's
 * {@code null_lseek}, {@code lseek} succeeds and returns 0. Stateless, so
 * thread-safe without locks.
 *
 * @param readable opened with read access
 * @param writable opened with write access
 */
public record NullDevice(boolean readable, boolean writable) implements OpenFile {
    @Override public long read(MemorySegment dst, long off, long count) { return readable ? 0 : -Errno.EBADF; }

    @Override public long write(MemorySegment src, long off, long count) { return writable ? count : -Errno.EBADF; }

    @Override public long lseek(long offset, int whence) { return 0; }

    @Override public Stat stat() { return DeviceStat.device(Device.NULL); }

    @Override public int fsync() { return -Errno.EINVAL; }

    @Override public int close() { return 0; }
}
