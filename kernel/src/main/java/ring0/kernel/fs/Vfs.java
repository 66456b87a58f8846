package ring0.kernel.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kernel's file system: a host directory seen as {@code /} (TRUSTED).
 *
 * <p>{@link #resolve} maps a program's path to an object inside the root
 * without ever letting the host follow a link or a {@code ..} (see
 * {@link PathWalk} for the rules); {@link #open} turns it into an
 * {@link OpenFile}. Regular files go through the shared {@link PageCache}.
 *
 * <p>NUL bytes: a Linux path is a C string, so {@code "a\0b"} means {@code "a"}.
 * This layer applies that rule itself: {@code resolve} cuts the path at its
 * first NUL, whoever calls it. (The system-call layer is stricter for
 * programs: {@code docs/abi.md} makes a path byte array with a NUL inside
 * {@code -EINVAL} before it gets here.)
 *
 * <p>Thread safety: immutable; any number of processes may use one instance.
 * Resolution reads the host without locks, so a host process that renames or
 * relinks directories inside the root while a program opens a path races
 * with it (see "Files" in {@code docs/kernel.md}).
 */
public final class Vfs {
    /** The mode bits a new file never gets: the kernel's fixed umask. */
    public static final int UMASK = 022;

    private final Path root;
    private final PageCache cache;
    private final HostNames names = HostNames.platform();

    /**
     * A file system rooted at the host directory {@code root} (symbolic links
     * in {@code root} itself are resolved once, here), caching regular files in
     * {@code cache}.
     *
     * @throws IOException if {@code root} is not an accessible directory
     */
    public Vfs(Path root, PageCache cache) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) throw new NotDirectoryException(root.toString());
        this.root = real;
        this.cache = cache;
    }

    /** The host directory that is {@code /}. */
    public Path root() { return root; }

    /** The page cache regular files go through. */
    public PageCache cache() { return cache; }

    /** {@link #resolve(byte[], boolean)} following a final symbolic link. Locking: none. */
    public Resolution resolve(byte[] path) { return resolve(path, true); }

    /**
     * Resolves {@code path} inside the root: absolute and relative paths both
     * start at the root (processes have no working directory of their own).
     * With {@code followLast} false a final symbolic link is returned as
     * {@link Resolution.Kind#SYMLINK} instead of followed. Locking: none.
     */
    public Resolution resolve(byte[] path, boolean followLast) {
        int nul = 0;
        while (nul < path.length && path[nul] != 0) nul++;
        byte[] cut = nul == path.length ? path : Arrays.copyOf(path, nul);
        return PathWalk.resolve(root, names, cut, followLast);
    }

    /**
     * Opens {@code path} with Linux {@code open(2)} semantics ({@link OpenFlags};
     * {@code mode} for a created file, less {@link #UMASK}); the five devices
     * are bound to {@code std}. Locking: none of its own; the page cache
     * locks as it documents.
     */
    OpenFile open(byte[] path, int flags, int mode, StdStreams std) throws FsError {
        if ((flags & OpenFlags.O_PATH) != 0 || (flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) {
            throw new FsError(Errno.EINVAL);
        }
        int acc = flags & OpenFlags.O_ACCMODE;
        if (acc == OpenFlags.O_ACCMODE) throw new FsError(Errno.EINVAL);
        boolean rd = acc != OpenFlags.O_WRONLY, wr = acc != OpenFlags.O_RDONLY;
        boolean creat = (flags & OpenFlags.O_CREAT) != 0;
        boolean excl = creat && (flags & OpenFlags.O_EXCL) != 0;
        boolean dir = (flags & OpenFlags.O_DIRECTORY) != 0;
        boolean nofollow = (flags & OpenFlags.O_NOFOLLOW) != 0;
        if (creat && dir) throw new FsError(Errno.EINVAL);

        Resolution r = resolve(path, !nofollow && !excl);
        return switch (r) {
            case Resolution.Failed f -> throw new FsError(f.errno());
            case Resolution.Dev d -> {
                if (excl) throw new FsError(Errno.EEXIST);
                if (dir) throw new FsError(Errno.ENOTDIR);
                yield openDevice(d.device(), rd, wr, std);
            }
            case Resolution.DevDir d -> {
                if (excl) throw new FsError(Errno.EEXIST);
                if (creat || wr) throw new FsError(Errno.EISDIR);
                yield DirectoryFile.virtualDev();
            }
            case Resolution.Absent a -> {
                if (!creat) throw new FsError(Errno.ENOENT);
                if (a.dirOnly()) throw new FsError(Errno.EISDIR);
                yield openRegular(a.path(), flags, rd, wr, true, excl, mode);
            }
            case Resolution.Host h -> {
                if (excl) throw new FsError(Errno.EEXIST);
                yield switch (h.kind()) {
                    case SYMLINK -> throw new FsError(Errno.ELOOP);
                    case OTHER -> throw new FsError(Errno.EACCES);
                    case DIRECTORY -> {
                        if (creat || wr) throw new FsError(Errno.EISDIR);
                        yield DirectoryFile.open(h.path());
                    }
                    case REGULAR -> {
                        if (dir) throw new FsError(Errno.ENOTDIR);
                        yield openRegular(h.path(), flags, rd, wr, false, false, 0);
                    }
                };
            }
        };
    }

    private static OpenFile openDevice(Device d, boolean rd, boolean wr, StdStreams std) throws FsError {
        return switch (d) {
            case NULL -> new NullDevice(rd, wr);
            case ZERO -> new ZeroDevice(rd, wr);
            case STDIN -> {
                if (wr) throw new FsError(Errno.EACCES);
                yield std.open(d);
            }
            case STDOUT, STDERR -> {
                if (rd) throw new FsError(Errno.EACCES);
                yield std.open(d);
            }
        };
    }

    /**
     * Opens (or creates, with {@code create}; exclusively with {@code excl})
     * the regular file {@code path}. The host open uses {@code O_NOFOLLOW}, so
     * a symbolic link put in place of the last component after resolution
     * fails with {@code ELOOP} instead of being followed, and
     * {@code O_NONBLOCK}, so a fifo put there cannot block the kernel; the
     * type is then checked on the descriptor itself ({@code fstat}), whose
     * attributes are the ones the cache keeps. The cache needs to read pages
     * it fills, so the host file is always opened for reading, also for
     * {@code O_WRONLY}.
     */
    private OpenFile openRegular(Path path, int flags, boolean rd, boolean wr, boolean create, boolean excl, int mode)
            throws FsError {
        HostFile host = HostFile.open(path, wr, create, excl, mode & 0777 & ~UMASK);
        Stat attrs;
        try {
            attrs = host.stat();
            if (attrs.type() != Stat.S_IFREG) throw new FsError(Errno.EACCES);
        } catch (FsError e) {
            host.closeQuietly();
            throw e;
        }
        boolean trunc = wr && (flags & OpenFlags.O_TRUNC) != 0;
        CachedFile f = cache.open(path, host, wr, attrs, trunc);
        return new RegularFile(f, rd, wr, (flags & OpenFlags.O_APPEND) != 0,
                (flags & OpenFlags.O_DSYNC) != 0);
    }
}
