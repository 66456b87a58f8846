package ring0.kernel.fs;

import ring0.kernel.load.Libc;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * TRUSTED. One open host file descriptor, used through FFM downcalls to the C
 * library ({@code open}, {@code fstat}, {@code pread}, {@code pwritev},
 * {@code fsync}, {@code ftruncate}, {@code close}). Errors are the host's
 * own errno ({@link FsError}), not reconstructed from exception texts;
 * {@code EINTR} is retried.
 *
 * <p>Why not {@link java.nio.channels.FileChannel}: the kernel needs the
 * attributes of exactly the file it opened ({@code fstat} of the descriptor,
 * not a second look-up by path), gathering writes of many pages in one call,
 * {@code O_NOFOLLOW | O_NONBLOCK} on the open (a fifo swapped in after
 * resolution must not block the kernel), and a descriptor that a thread
 * interrupt cannot close behind the page cache's back.
 *
 * <p>Thread safety: the host calls are thread-safe; the page cache calls
 * them under the file's lock, which also makes {@link #close} happen once,
 * after every other use. After {@code close} the descriptor number is -1, so
 * a stray use fails with {@code EBADF} and can never reach a file the number
 * was reused for.
 */
@SuppressWarnings("restricted") // the file layer's host I/O: the kernel's job
final class HostFile {
    /** Largest number of buffers one {@code pwritev} takes ({@code IOV_MAX}). */
    static final int IOV_MAX = 1024;

    private static final int EINTR = Errno.EINTR;
    private static final int O_CLOEXEC = 02000000, O_NOFOLLOW = 0400000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000,
            O_NOCTTY = 0400;

    private static final MethodHandle OPEN, FSTAT, PREAD, PWRITEV, FSYNC, FTRUNCATE, CLOSE;
    private static final HostNames NAMES = HostNames.platform();

    static {
        OPEN = Libc.function("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        FSTAT = Libc.function("fstat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        PREAD = Libc.function("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        PWRITEV = Libc.function("pwritev",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
        FSYNC = Libc.function("fsync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        FTRUNCATE = Libc.function("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        CLOSE = Libc.function("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private int fd;

    /** Takes over the open host descriptor {@code fd} (closed by {@link #close}). */
    HostFile(int fd) { this.fd = fd; }

    /** The host descriptor number, -1 once closed. */
    int descriptor() { return fd; }

    /**
     * Opens the host file {@code path} for reading, and writing if
     * {@code writable}, never following a final symbolic link ({@code ELOOP})
     * never blocking on a fifo and never taking a terminal as the controlling one; with {@code create} ({@code O_CREAT},
     * {@code O_EXCL} too if {@code exclusive}) a new file gets {@code mode}
     * (less the host's umask). The caller checks the file type with
     * {@link #stat}. Only for hosts without {@code openat2}; otherwise
     * {@link HostRoot} opens.
     */
    static HostFile open(Path path, boolean writable, boolean create, boolean exclusive, int mode) throws FsError {
        int flags = (writable ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        if (create) flags |= OpenFlags.O_CREAT | (exclusive ? OpenFlags.O_EXCL : 0);
        return openRaw(path, flags, mode);
    }

    /** Opens the host directory {@code path} read-only, never following a final symbolic link. */
    static HostFile openDirectory(Path path) throws FsError {
        return openRaw(path, OpenFlags.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
    }

    private static HostFile openRaw(Path path, int flags, int mode) throws FsError {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            MemorySegment name = cString(a, path);
            while (true) {
                int fd = (int) OPEN.invokeExact(st, name, flags, mode);
                if (fd >= 0) return new HostFile(fd);
                int e = errno(st);
                if (e != EINTR) throw new FsError(e);
            }
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open downcall", t);
        }
    }

    /** The host's {@code struct stat} of this descriptor (same layout as {@link Stat}). */
    Stat stat() throws FsError {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            MemorySegment buf = a.allocate(Stat.SIZE, 8);
            int r = (int) FSTAT.invokeExact(st, fd, buf);
            if (r != 0) throw new FsError(errno(st));
            return Stat.decode(buf, 0);
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fstat downcall", t);
        }
    }

    /**
     * Reads into all of {@code dst} from file offset {@code pos}: the number
     * of bytes read, less than {@code dst}'s size only at the end of the file.
     */
    long readFully(MemorySegment dst, long pos) throws FsError {
        long done = 0, want = dst.byteSize();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            while (done < want) {
                long n = (long) PREAD.invokeExact(st, fd, dst.asSlice(done), want - done, pos + done);
                if (n == 0) break;
                if (n < 0) {
                    int e = errno(st);
                    if (e == EINTR) continue;
                    throw new FsError(e);
                }
                done += n;
            }
            return done;
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pread downcall", t);
        }
    }

    /**
     * Writes the buffers {@code parts}, back to back, at file offset
     * {@code pos}: one {@code pwritev} per {@link #IOV_MAX} buffers, more
     * only after a short write. Returns normally only when every byte was
     * written; throws the host's errno otherwise (some bytes may have been
     * written).
     */
    void writeFully(List<MemorySegment> parts, long pos) throws FsError {
        int n = parts.size();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            MemorySegment iov = a.allocate(16L * Math.min(n, IOV_MAX), 8);
            int first = 0;
            long skip = 0; // bytes of parts[first] already written
            while (first < n) {
                int cnt = Math.min(n - first, IOV_MAX);
                long total = 0;
                for (int i = 0; i < cnt; i++) {
                    MemorySegment s = parts.get(first + i);
                    long off = i == 0 ? skip : 0;
                    iov.setAtIndex(JAVA_LONG, 2L * i, s.address() + off);
                    iov.setAtIndex(JAVA_LONG, 2L * i + 1, s.byteSize() - off);
                    total += s.byteSize() - off;
                }
                long w = (long) PWRITEV.invokeExact(st, fd, iov, cnt, pos);
                if (w < 0) {
                    int e = errno(st);
                    if (e == EINTR) continue;
                    throw new FsError(e);
                }
                if (w == 0 && total > 0) throw new FsError(Errno.EIO);
                pos += w;
                // Advance past what was written.
                while (w > 0) {
                    long left = parts.get(first).byteSize() - skip;
                    if (w >= left) {
                        w -= left;
                        first++;
                        skip = 0;
                    } else {
                        skip += w;
                        w = 0;
                    }
                }
                while (first < n && parts.get(first).byteSize() == skip) {
                    first++;
                    skip = 0;
                }
            }
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pwritev downcall", t);
        }
    }

    /** {@code fsync(2)}: data and metadata to stable storage. */
    void force() throws FsError {
        intCall(FSYNC, "fsync", 0, false);
    }

    /** {@code ftruncate(2)}. */
    void truncate(long size) throws FsError {
        intCall(FTRUNCATE, "ftruncate", size, true);
    }

    /**
     * Closes the descriptor (once: later calls do nothing). As on Linux, the
     * descriptor is gone even if this reports an error, so it is not retried.
     */
    void close() throws FsError {
        if (fd < 0) return;
        int was = fd;
        fd = -1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            int r = (int) CLOSE.invokeExact(st, was);
            if (r != 0 && errno(st) != EINTR) throw new FsError(errno(st));
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close downcall", t);
        }
    }

    /** {@link #close}, ignoring an error (a descriptor that was only read, or that is being abandoned after a failure). */
    void closeQuietly() {
        try {
            close();
        } catch (FsError ignored) {
            // nothing written through it can be lost
        }
    }

    private void intCall(MethodHandle h, String what, long arg, boolean withArg) throws FsError {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            while (true) {
                int r = withArg ? (int) h.invokeExact(st, fd, arg) : (int) h.invokeExact(st, fd);
                if (r == 0) return;
                int e = errno(st);
                if (e != EINTR) throw new FsError(e);
            }
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what + " downcall", t);
        }
    }

    /** The host's bytes for {@code path} (the JDK's file-name charset, as every name was checked to round-trip), NUL-terminated. */
    private static MemorySegment cString(Arena a, Path path) {
        return HostRoot.cString(a, NAMES.encode(path.toString()));
    }

    private static int errno(MemorySegment state) {
        return Libc.errno(state);
    }
}
