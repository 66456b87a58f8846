package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;

/**
 * {@code /dev/zero}: reads fill the buffer with zero bytes, writes vanish,
 * {@code lseek} returns 0 (Linux uses {@code null_lseek} for it too).
 * Stateless, so thread-safe without locks.
 *
 * @param readable opened with read access
 * @param writable opened with write access
 */
public record ZeroDevice(boolean readable, boolean writable) implements OpenFile {
    @Override
    public long read(MemorySegment dst, long off, long count) {
        if (!readable) return -Errno.EBADF;
        dst.asSlice(off, count).fill((byte) 0);
        return count;
    }

    @Override public long write(MemorySegment src, long off, long count) { return writable ? count : -Errno.EBADF; }

    @Override public long lseek(long offset, int whence) { return 0; }

    @Override public Stat stat() { return DeviceStat.device(Device.ZERO); }

    @Override public int fsync() { return -Errno.EINVAL; }

    @Override public int close() { return 0; }
}
