package ring0.kernel.fs;

import ring0.kernel.load.Libc;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * TRUSTED. The root directory held open on the host, and the opens that go
 * through it with {@code openat2(2)} and {@code RESOLVE_IN_ROOT}: the host
 * kernel resolves a path as if the root were {@code /} (a {@code ..} at the
 * root stays there) and, with {@code RESOLVE_NO_SYMLINKS}, refuses every
 * symbolic link on the way with {@code ELOOP}. Because the whole path is
 * resolved by one host call, a host process that swaps a directory for a
 * link while the kernel opens a path cannot lead the open outside the root.
 *
 * <p>Two ways to open an existing object. {@link #find} opens it with
 * {@code O_PATH}, which runs no driver and cannot block; the kernel learns
 * its type by {@code fstat} of that descriptor, and only a regular file or
 * a directory is then opened for real by {@link #reopen}, through the
 * descriptor itself ({@code /proc/self/fd/N}, a directory held open here),
 * never by path again: nothing else is ever opened. That costs four host
 * calls, so when a hint ({@link TypeHints}, or {@link #typeHint}: one
 * {@code fstatat}; never the answer) says the object is a regular file or a
 * directory, the caller
 * opens it for real at once with {@link #openDirect}, checks the type of
 * what it got, and starts again if it differs: a fifo or device node
 * a host process put where the hint saw a regular file is opened (with
 * {@code O_NONBLOCK | O_NOCTTY}) before being refused.
 *
 * <p>{@link #open} returns {@code null} when the host lacks what this needs
 * ({@code openat2}, Linux 5.6; or {@code /proc}): the file layer then uses
 * its own walk and opens by path, as before.
 *
 * <p>Thread safety: immutable; the two descriptors are closed only when this
 * object is unreachable (a {@link Cleaner}), never while a call uses them.
 */
@SuppressWarnings("restricted") // the file layer's host I/O: the kernel's job
final class HostRoot {
    /** {@code RESOLVE_NO_MAGICLINKS}: no {@code /proc/PID/fd}-style jumps. */
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    /** {@code RESOLVE_NO_SYMLINKS}: any symbolic link on the way fails with {@code ELOOP}. */
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    /** {@code RESOLVE_IN_ROOT}: resolve as if the directory were {@code /}. */
    static final long RESOLVE_IN_ROOT = 0x10;
    /** What every resolution here uses. */
    static final long RESOLVE = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

    private static final long SYS_OPENAT2 = 437;
    private static final int AT_FDCWD = -100;
    private static final int O_PATH = OpenFlags.O_PATH, O_DIRECTORY = OpenFlags.O_DIRECTORY,
            O_CLOEXEC = OpenFlags.O_CLOEXEC, O_NOFOLLOW = OpenFlags.O_NOFOLLOW, O_NONBLOCK = OpenFlags.O_NONBLOCK,
            O_NOCTTY = 0400;
    /** {@code sizeof(struct open_how)}: flags, mode, resolve, three {@code u64}. */
    private static final long OPEN_HOW_SIZE = 24;

    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static final MethodHandle SYSCALL, OPENAT, FSTATAT;
    private static final Cleaner CLEANER = Cleaner.create();

    static {
        // long syscall(long number, ...): every argument passed as a full 64-bit word.
        SYSCALL = Libc.function("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), Linker.Option.firstVariadicArg(1));
        OPENAT = Libc.function("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
        FSTATAT = Libc.firstOfWithoutErrno(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), "fstatat", "fstatat64");
    }

    /** The root, {@code O_PATH | O_DIRECTORY}. */
    private final int rootFd;
    /** This process's {@code /proc/self/fd}, {@code O_PATH | O_DIRECTORY}: reopens a descriptor by number. */
    private final int procFds;

    private HostRoot(int rootFd, int procFds) {
        this.rootFd = rootFd;
        this.procFds = procFds;
        CLEANER.register(this, () -> {
            closeFd(rootFd);
            closeFd(procFds);
        });
    }

    /**
     * Holds {@code root} (a real directory path) open and checks, on the
     * root itself, that {@code openat2} with {@link #RESOLVE} and the reopen
     * through {@code /proc/self/fd} both work; {@code null} if not.
     */
    static HostRoot open(Path root) {
        int r = -1, p = -1;
        try {
            r = rawOpenat(AT_FDCWD, bytes(root.toString()), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            p = rawOpenat(AT_FDCWD, bytes("/proc/self/fd"), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (r < 0 || p < 0) return null;
            HostRoot h = new HostRoot(r, p);
            r = p = -1; // the cleaner owns them now
            HostFile probe = h.find(new byte[] {'.'});
            try {
                HostFile dir = h.reopen(probe, O_DIRECTORY);
                Stat viaProc = dir.stat();
                dir.closeQuietly();
                Stat found = probe.stat();
                boolean same = found.dev() == viaProc.dev() && found.ino() == viaProc.ino();
                return same ? h : null;
            } finally {
                probe.closeQuietly();
            }
        } catch (FsError e) {
            return null;
        } finally {
            closeFd(r);
            closeFd(p);
        }
    }

    /**
     * Opens {@code path} (the program's bytes: no NUL, at most
     * {@code PATH_MAX - 1}) with {@code O_PATH}: a descriptor only good for
     * {@code fstat} and {@link #reopen}. A final symbolic link is not
     * followed either: {@code ELOOP}.
     *
     * @throws FsError the host's errno ({@code ELOOP} for any symbolic link,
     *     {@code EAGAIN} if a rename on the host raced with a {@code ..})
     */
    HostFile find(byte[] path) throws FsError {
        return new HostFile(openat2(path, O_PATH | O_CLOEXEC, 0));
    }

    /**
     * The type bits ({@link Stat#type}) of what {@code path} names now,
     * without following a final link, or 0 if that cannot be told. A hint
     * only: it is asked by path from the root without {@code openat2}'s
     * rules (a link may lead it elsewhere), so it only chooses how to open,
     * never what the answer is. Not asked for a path with a {@code ..}
     * component, which could climb above the root (the answer would not
     * differ, but its timing would say whether a file exists there).
     */
    int typeHint(byte[] path) {
        if (FSTATAT == null || hasDotDot(path)) return 0;
        int from = 0;
        while (from < path.length && path[from] == '/') from++;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(path.length - from + 1L);
            MemorySegment.copy(path, from, name, JAVA_BYTE, 0, path.length - from);
            name.set(JAVA_BYTE, path.length - from, (byte) 0);
            MemorySegment buf = a.allocate(Stat.SIZE, 8);
            int r = (int) FSTATAT.invokeExact(rootFd, name, buf, AT_SYMLINK_NOFOLLOW);
            return r == 0 ? Stat.decode(buf, 0).type() : 0;
        } catch (Throwable t) {
            return 0;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private static boolean hasDotDot(byte[] path) {
        for (int i = 0; i + 1 < path.length; i++) {
            if (path[i] == '.' && path[i + 1] == '.' && (i == 0 || path[i - 1] == '/')
                    && (i + 2 == path.length || path[i + 2] == '/')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens {@code path} for real at once: read-only, or read-write if
     * {@code flags} has {@code O_RDWR}; {@code flags} may add
     * {@code O_DIRECTORY}. Never follows a final link ({@code ELOOP}), never
     * blocks on a fifo, never takes a terminal. The caller checks the type.
     */
    HostFile openDirect(byte[] path, int flags) throws FsError {
        int all = (flags & (OpenFlags.O_RDWR | O_DIRECTORY)) | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        return new HostFile(openat2(path, all, 0));
    }

    /**
     * Creates the regular file {@code path} ({@code O_CREAT | O_EXCL}, so it
     * never opens anything that already exists, not even through a final
     * symbolic link: {@code EEXIST}) with {@code mode}, less the host's umask;
     * open for reading and, if {@code writable}, writing.
     */
    HostFile create(byte[] path, boolean writable, int mode) throws FsError {
        int flags = (writable ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY) | OpenFlags.O_CREAT | OpenFlags.O_EXCL
                | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        return new HostFile(openat2(path, flags, mode));
    }

    /**
     * Opens for real the object {@code found} (from {@link #find}) refers
     * to, through its descriptor, never by path: read-only, or read-write if
     * {@code flags} has {@code O_RDWR}; {@code flags} may add
     * {@code O_DIRECTORY}. The caller has checked the type, so this is a
     * regular file or a directory. {@code found} stays open.
     */
    HostFile reopen(HostFile found, int flags) throws FsError {
        byte[] num = Integer.toString(found.descriptor()).getBytes(StandardCharsets.US_ASCII);
        int all = (flags & (OpenFlags.O_RDWR | O_DIRECTORY)) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            MemorySegment name = cString(a, num);
            while (true) {
                int fd = (int) OPENAT.invokeExact(st, procFds, name, all, 0);
                if (fd >= 0) return new HostFile(fd);
                int e = errno(st);
                if (e != Errno.EINTR) throw new FsError(e);
            }
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openat downcall", t);
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(found);
        }
    }

    private int openat2(byte[] path, int flags, int mode) throws FsError {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            MemorySegment name = cString(a, path);
            MemorySegment how = a.allocate(OPEN_HOW_SIZE, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 8, mode & 07777L);
            how.set(JAVA_LONG, 16, RESOLVE);
            while (true) {
                long fd = (long) SYSCALL.invokeExact(st, SYS_OPENAT2, (long) rootFd, name, how, OPEN_HOW_SIZE);
                if (fd >= 0) return (int) fd;
                int e = errno(st);
                if (e != Errno.EINTR) throw new FsError(e);
            }
        } catch (FsError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openat2 downcall", t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@code openat(dir, name, flags)}: the descriptor, or -1. */
    private static int rawOpenat(int dir, byte[] name, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            MemorySegment n = cString(a, name);
            while (true) {
                int fd = (int) OPENAT.invokeExact(st, dir, n, flags, 0);
                if (fd >= 0 || errno(st) != Errno.EINTR) return fd;
            }
        } catch (Throwable t) {
            return -1;
        }
    }

    private static void closeFd(int fd) {
        if (fd >= 0) new HostFile(fd).closeQuietly();
    }

    private static byte[] bytes(String s) {
        return HostNames.platform().encode(s);
    }

    /** {@code b} and a NUL byte, in {@code a}. */
    static MemorySegment cString(Arena a, byte[] b) {
        MemorySegment s = a.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        s.set(JAVA_BYTE, b.length, (byte) 0);
        return s;
    }

    private static int errno(MemorySegment state) {
        return Libc.errno(state);
    }
}
