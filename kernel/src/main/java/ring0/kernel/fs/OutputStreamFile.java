package ring0.kernel.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;

/**
 * A write-only stream: the process's standard output or error
 * ({@code /dev/stdout}, {@code /dev/stderr}, descriptors 1 and 2). Each write
 * is flushed before it returns, so output appears as it would from a Linux
 * {@code write}. Closing it never closes the kernel's stream. Locking: one
 * write is atomic with respect to others on the same stream (it holds the
 * stream object's monitor).
 *
 * @param device which standard stream this is
 * @param out    the stream
 */
public record OutputStreamFile(Device device, OutputStream out) implements OpenFile {
    private static final int CHUNK = 64 << 10;

    @Override public long read(MemorySegment dst, long off, long count) { return -Errno.EBADF; }

    @Override
    public long write(MemorySegment src, long off, long count) {
        byte[] buf = new byte[(int) Math.min(count, CHUNK)];
        synchronized (out) {
            try {
                for (long done = 0; done < count; ) {
                    int n = (int) Math.min(buf.length, count - done);
                    MemorySegment.copy(src, off + done, MemorySegment.ofArray(buf), 0, n);
                    out.write(buf, 0, n);
                    done += n;
                }
                out.flush();
            } catch (IOException e) {
                return -Errno.EIO;
            }
        }
        return count;
    }

    @Override public long lseek(long offset, int whence) { return -Errno.ESPIPE; }

    @Override public Stat stat() { return DeviceStat.device(device); }

    /** Flushes, but fails like {@code fsync} on a terminal or a pipe. */
    @Override
    public int fsync() {
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                return -Errno.EIO;
            }
        }
        return -Errno.EINVAL;
    }

    @Override public int close() { return 0; }
}
