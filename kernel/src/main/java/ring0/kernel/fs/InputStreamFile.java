package ring0.kernel.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;

/**
 * A read-only stream: the process's standard input ({@code /dev/stdin},
 * descriptor 0). A read returns what one read of the stream delivers (at most
 * 64 KiB), as a read of a pipe does; 0 means end of input. Closing it never
 * closes the kernel's stream. Locking: reads of one stream are serialised on
 * the stream object.
 *
 * @param device which standard stream this is
 * @param in     the stream
 */
public record InputStreamFile(Device device, InputStream in) implements OpenFile {
    private static final int CHUNK = 64 << 10;

    @Override
    public long read(MemorySegment dst, long off, long count) {
        if (count == 0) return 0;
        byte[] buf = new byte[(int) Math.min(count, CHUNK)];
        int n;
        synchronized (in) {
            try {
                n = in.read(buf, 0, buf.length);
            } catch (InterruptedIOException e) {
                return -Errno.EINTR;
            } catch (IOException e) {
                return -Errno.EIO;
            }
        }
        if (n <= 0) return 0;
        MemorySegment.copy(MemorySegment.ofArray(buf), 0, dst, off, n);
        return n;
    }

    @Override public long write(MemorySegment src, long off, long count) { return -Errno.EBADF; }

    @Override public long lseek(long offset, int whence) { return -Errno.ESPIPE; }

    @Override public Stat stat() { return DeviceStat.device(device); }

    /** As on a terminal or a pipe. */
    @Override public int fsync() { return -Errno.EINVAL; }

    @Override public int close() { return 0; }
}
