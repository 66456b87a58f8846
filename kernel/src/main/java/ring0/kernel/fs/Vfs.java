package ring0.kernel.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
 * <p>{@link #open} goes through {@code openat2} on the root held open
 * ({@link HostRoot}) when the host has it, so a host process that renames or
 * relinks directories inside the root while a program opens a path cannot
 * lead the open out of the root; without it, it opens by path after the walk,
 * and such a process races with it (see "Files" in {@code docs/kernel.md} and
 * the package documentation).
 *
 * <p>Thread safety: immutable; any number of processes may use one instance.
 * Resolution reads the host without locks.
 */
public final class Vfs {
    /** The mode bits a new file never gets: the kernel's fixed umask. */
    public static final int UMASK = 022;

    private final Path root;
    private final PageCache cache;
    private final HostNames names = HostNames.platform();
    /** The root held open for {@code openat2}; {@code null}: opens by path after the walk (no {@code openat2} here, or turned off). */
    private final HostRoot host;
    /** What plain paths named at their last open (with {@link #host} only). */
    private final TypeHints hints = new TypeHints();

    /**
     * A file system rooted at the host directory {@code root} (symbolic links
     * in {@code root} itself are resolved once, here), caching regular files in
     * {@code cache}.
     *
     * @throws IOException if {@code root} is not an accessible directory
     */
    public Vfs(Path root, PageCache cache) throws IOException {
        this(root, cache, true);
    }

    /**
     * {@link #Vfs(Path, PageCache)}, with {@code openat2} only if
     * {@code useOpenat2} (and the host has it): tests use {@code false} for
     * the path the kernel takes on hosts without it.
     */
    Vfs(Path root, PageCache cache, boolean useOpenat2) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) throw new NotDirectoryException(root.toString());
        this.root = real;
        this.cache = cache;
        this.host = useOpenat2 ? HostRoot.open(real) : null;
    }

    /** Whether opens go through {@code openat2} ({@link HostRoot}) rather than by path. */
    boolean usesOpenat2() { return host != null; }

    /** The host directory that is {@code /}. */
    public Path root() { return root; }

    /** Attempts of one open when the host keeps changing the tree under it ({@link Raced}). */
    static final int MAX_ATTEMPTS = 16;

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
        return PathWalk.resolve(root, names, cut(path), followLast);
    }

    /**
     * Opens {@code path} with Linux {@code open(2)} semantics ({@link OpenFlags};
     * {@code mode} for a created file, less {@link #UMASK}); the five devices
     * are bound to {@code std}. With {@code openat2} on the host, a plain path
     * ({@link PlainPath}) is resolved by the host in one call and any other by
     * the walk, whose result is then opened the same race-free way; without
     * it, the walk's result is opened by path. Locking: none of its own; the
     * page cache locks as it documents.
     */
    OpenFile open(byte[] path, int flags, int mode, StdStreams std) throws FsError {
        if ((flags & OpenFlags.O_PATH) != 0 || (flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) {
            throw new FsError(Errno.EINVAL);
        }
        int acc = flags & OpenFlags.O_ACCMODE;
        if (acc == OpenFlags.O_ACCMODE) throw new FsError(Errno.EINVAL);
        Request q = new Request(flags, mode);
        if (q.creat && q.dir) throw new FsError(Errno.EINVAL);
        byte[] cut = cut(path);
        if (host == null) return openWalked(cut, q, std);
        int raced = 0;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                if (PlainPath.test(cut, names)) {
                    OpenFile f = openPlain(cut, q);
                    if (f != null) return f;
                }
                return openWalked(cut, q, std);
            } catch (Raced r) {
                raced = r.errno;
            }
        }
        throw new FsError(raced);
    }

    /** An open's flags and mode, taken apart. */
    private static final class Request {
        final int flags, mode;
        final boolean rd, wr, creat, excl, dir, nofollow;

        Request(int flags, int mode) {
            int acc = flags & OpenFlags.O_ACCMODE;
            this.flags = flags;
            this.mode = mode & 0777 & ~UMASK;
            this.rd = acc != OpenFlags.O_WRONLY;
            this.wr = acc != OpenFlags.O_RDONLY;
            this.creat = (flags & OpenFlags.O_CREAT) != 0;
            this.excl = creat && (flags & OpenFlags.O_EXCL) != 0;
            this.dir = (flags & OpenFlags.O_DIRECTORY) != 0;
            this.nofollow = (flags & OpenFlags.O_NOFOLLOW) != 0;
        }
    }

    /**
     * The host changed the tree between two steps of one open (a name came or
     * went, a symbolic link appeared, a rename raced with a {@code ..}): the
     * open starts again, up to {@link #MAX_ATTEMPTS} times, then fails with
     * {@link #errno}.
     */
    private static final class Raced extends FsError {
        private static final long serialVersionUID = 1L;

        Raced(int errno) { super(errno); }
    }

    /**
     * Opens a plain path, resolved by the host in one {@code openat2} call;
     * {@code null} if the host met a symbolic link ({@code ELOOP}), which only
     * the walk may expand.
     */
    private OpenFile openPlain(byte[] path, Request q) throws FsError {
        if (q.excl) {
            HostFile created;
            try {
                created = host.create(path, q.wr, q.mode);
            } catch (FsError e) {
                if (e.errno == Errno.ELOOP) return null;
                if (e.errno == Errno.EAGAIN) throw new Raced(e.errno);
                throw e;
            }
            return remember(path, openCreated(created, path, q));
        }
        int hint = hints.get(path);
        if (hint == Stat.S_IFLNK) return null;
        if (hint == 0) hint = host.typeHint(path);
        if (hint == Stat.S_IFREG && !q.dir || hint == Stat.S_IFDIR && !q.creat && !q.wr) {
            OpenFile f = openHinted(path, q, hint);
            if (f != null) return remember(path, f);
            if (hints.get(path) == Stat.S_IFLNK) return null;
        }
        HostFile found;
        try {
            found = host.find(path);
        } catch (FsError e) {
            if (e.errno == Errno.ELOOP) {
                hints.put(path, Stat.S_IFLNK);
                return null;
            }
            if (e.errno == Errno.EAGAIN) throw new Raced(e.errno);
            if (e.errno != Errno.ENOENT || !q.creat) throw e;
            return remember(path, createMissing(path, q));
        }
        return remember(path, openFound(found, path, q));
    }

    /** Notes in {@link #hints} what {@code f}, opened by the plain {@code path}, is; returns {@code f}. */
    private OpenFile remember(byte[] path, OpenFile f) {
        hints.put(path, f instanceof DirectoryFile ? Stat.S_IFDIR : Stat.S_IFREG);
        return f;
    }

    /**
     * Opens a plain path at once, as the regular file or directory
     * ({@code type}) the hint ({@link TypeHints}, else {@code fstatat}) said it is;
     * {@code null} if the host open failed: then {@link HostRoot#find} decides
     * what the answer is, or, if the host met a symbolic link (noted in
     * {@link #hints}), the walk. If the
     * host opened something else (swapped in since the hint), it is closed
     * and the open starts again.
     */
    private OpenFile openHinted(byte[] path, Request q, int type) throws FsError {
        HostFile h;
        try {
            h = host.openDirect(path, type == Stat.S_IFDIR ? OpenFlags.O_DIRECTORY : q.wr ? OpenFlags.O_RDWR : 0);
        } catch (FsError e) {
            if (e.errno == Errno.ELOOP) {
                hints.put(path, Stat.S_IFLNK);
                return null;
            }
            hints.forget(path);
            if (e.errno == Errno.EAGAIN) throw new Raced(e.errno);
            return null;
        }
        Stat st;
        try {
            st = statAs(h, type);
        } catch (Raced r) {
            hints.forget(path);
            throw r;
        }
        return type == Stat.S_IFDIR ? DirectoryFile.of(h, st) : cached(h, st, messagePath(path), q);
    }

    /**
     * The attributes of {@code h}, just opened as a file of {@code type}
     * ({@link Stat#S_IFREG} or {@link Stat#S_IFDIR}). If it is something else
     * (swapped in since the type was learnt), or cannot be stat'ed, {@code h}
     * is closed; a swap makes the open start again ({@link Raced}).
     */
    private static Stat statAs(HostFile h, int type) throws FsError {
        Stat st;
        try {
            st = h.stat();
        } catch (FsError e) {
            h.closeQuietly();
            throw e;
        }
        if (st.type() != type) {
            h.closeQuietly();
            throw new Raced(Errno.EACCES);
        }
        return st;
    }

    /** Opens by walking: the walk's rules for links and {@code /dev}, then the host open of its result. */
    private OpenFile openWalked(byte[] path, Request q, StdStreams std) throws FsError {
        Resolution r = PathWalk.resolve(root, names, path, !q.nofollow && !q.excl);
        return switch (r) {
            case Resolution.Failed f -> throw new FsError(f.errno());
            case Resolution.Dev d -> {
                if (q.excl) throw new FsError(Errno.EEXIST);
                if (q.dir) throw new FsError(Errno.ENOTDIR);
                yield openDevice(d.device(), q.rd, q.wr, std);
            }
            case Resolution.DevDir d -> {
                if (q.excl) throw new FsError(Errno.EEXIST);
                if (q.creat || q.wr) throw new FsError(Errno.EISDIR);
                yield DirectoryFile.virtualDev();
            }
            case Resolution.Absent a -> {
                if (!q.creat) throw new FsError(Errno.ENOENT);
                if (a.dirOnly()) throw new FsError(Errno.EISDIR);
                if (host == null) yield openRegular(a.path(), q, true);
                yield createMissing(relative(a.path()), q);
            }
            case Resolution.Host h -> {
                if (q.excl) throw new FsError(Errno.EEXIST);
                yield switch (h.kind()) {
                    case SYMLINK -> throw new FsError(Errno.ELOOP);
                    case OTHER -> throw new FsError(Errno.EACCES);
                    case DIRECTORY, REGULAR -> {
                        if (host != null) yield openWalkedHost(h.path(), q, h.kind());
                        if (h.kind() == Resolution.Kind.REGULAR) {
                            if (q.dir) throw new FsError(Errno.ENOTDIR);
                            yield openRegular(h.path(), q, false);
                        }
                        if (q.creat || q.wr) throw new FsError(Errno.EISDIR);
                        yield DirectoryFile.open(h.path());
                    }
                };
            }
        };
    }

    /**
     * Opens what the walk found at {@code path} (a path without links, relative
     * to the root) through {@code openat2}: a symbolic link swapped in
     * since the walk is not followed but makes the open start again. A
     * regular file or directory ({@code kind}, the walk's {@code lstat}, a
     * hint like {@code fstatat}) is opened at once and its type checked on the
     * new descriptor; if that open fails otherwise, or the open is one that
     * must fail, {@link HostRoot#find} decides.
     */
    private OpenFile openWalkedHost(Path hostPath, Request q, Resolution.Kind kind) throws FsError {
        byte[] path = relative(hostPath);
        int type = kind == Resolution.Kind.REGULAR ? Stat.S_IFREG : Stat.S_IFDIR;
        if (type == Stat.S_IFREG && !q.dir || type == Stat.S_IFDIR && !q.creat && !q.wr) {
            HostFile h = null;
            try {
                h = host.openDirect(path, type == Stat.S_IFDIR ? OpenFlags.O_DIRECTORY : q.wr ? OpenFlags.O_RDWR : 0);
            } catch (FsError e) {
                if (e.errno == Errno.ELOOP || e.errno == Errno.EAGAIN || e.errno == Errno.ENOENT) throw new Raced(e.errno);
            }
            if (h != null) {
                Stat st = statAs(h, type);
                return type == Stat.S_IFDIR ? DirectoryFile.of(h, st) : cached(h, st, hostPath, q);
            }
        }
        HostFile found;
        try {
            found = host.find(path);
        } catch (FsError e) {
            if (e.errno == Errno.ELOOP || e.errno == Errno.EAGAIN || e.errno == Errno.ENOENT) throw new Raced(e.errno);
            throw e;
        }
        return openFound(found, path, q);
    }

    /**
     * Creates {@code path}, which was found missing: exclusively on the host
     * in any case, so a name that appeared since (a file, a device node, a
     * link) is never opened by this call; the open then starts again, or fails
     * with {@code EEXIST} if the program asked for {@code O_EXCL}.
     */
    private OpenFile createMissing(byte[] path, Request q) throws FsError {
        HostFile created;
        try {
            created = host.create(path, q.wr, q.mode);
        } catch (FsError e) {
            if (e.errno == Errno.EEXIST && !q.excl || e.errno == Errno.EAGAIN || e.errno == Errno.ELOOP) {
                throw new Raced(e.errno);
            }
            throw e;
        }
        return openCreated(created, path, q);
    }

    /**
     * The decisions of {@code open(2)} on an existing object, made on
     * {@code found}'s own type ({@code fstat} of the {@code O_PATH}
     * descriptor), then the real open through that descriptor. {@code found}
     * is closed in every case.
     */
    private OpenFile openFound(HostFile found, byte[] path, Request q) throws FsError {
        try {
            Stat st = found.stat();
            switch (st.type()) {
                case Stat.S_IFREG -> {
                    if (q.dir) throw new FsError(Errno.ENOTDIR);
                    HostFile h = host.reopen(found, q.wr ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY);
                    return cached(h, st, messagePath(path), q);
                }
                case Stat.S_IFDIR -> {
                    if (q.creat || q.wr) throw new FsError(Errno.EISDIR);
                    return DirectoryFile.of(host.reopen(found, OpenFlags.O_DIRECTORY), st);
                }
                case Stat.S_IFLNK -> throw new FsError(Errno.ELOOP);
                default -> throw new FsError(Errno.EACCES);
            }
        } finally {
            found.closeQuietly();
        }
    }

    /** A regular file just created by {@link HostRoot#create}. */
    private OpenFile openCreated(HostFile created, byte[] path, Request q) throws FsError {
        Stat st;
        try {
            st = created.stat();
            if (st.type() != Stat.S_IFREG) throw new FsError(Errno.EACCES);
        } catch (FsError e) {
            created.closeQuietly();
            throw e;
        }
        return cached(created, st, messagePath(path), q);
    }

    /** {@code path} with the slash-separated components of {@code rel} appended, for messages. */
    private Path messagePath(byte[] rel) {
        try {
            return Path.of(root.toString(), new String(rel, names.charset()));
        } catch (InvalidPathException e) {
            return root;
        }
    }

    /** {@code p} (a walk's result: the root, or a path below it) as bytes relative to the root. */
    private byte[] relative(Path p) {
        String all = p.toString(), top = root.toString();
        if (all.length() <= top.length()) return new byte[] {'.'};
        return names.encode(all.substring(top.equals("/") ? 1 : top.length() + 1));
    }

    private static byte[] cut(byte[] path) {
        int nul = 0;
        while (nul < path.length && path[nul] != 0) nul++;
        return nul == path.length ? path : Arrays.copyOf(path, nul);
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
     * Opens (or creates, with {@code create}; exclusively with
     * {@code q.excl}) the regular file {@code path} by path, when the host
     * has no {@code openat2}. The host open uses {@code O_NOFOLLOW}, so
     * a symbolic link put in place of the last component after resolution
     * fails with {@code ELOOP} instead of being followed, and
     * {@code O_NONBLOCK}, so a fifo put there cannot block the kernel; the
     * type is then checked on the descriptor itself ({@code fstat}), whose
     * attributes are the ones the cache keeps.
     */
    private OpenFile openRegular(Path path, Request q, boolean create) throws FsError {
        HostFile h = HostFile.open(path, q.wr, create, q.excl, q.mode);
        Stat attrs;
        try {
            attrs = h.stat();
            if (attrs.type() != Stat.S_IFREG) throw new FsError(Errno.EACCES);
        } catch (FsError e) {
            h.closeQuietly();
            throw e;
        }
        return cached(h, attrs, path, q);
    }

    /**
     * The regular file open on the host as {@code h} (whose attributes are
     * {@code attrs}), through the page cache. The cache needs to read pages
     * it fills, so the host file is always open for reading, also for
     * {@code O_WRONLY}.
     */
    private OpenFile cached(HostFile h, Stat attrs, Path path, Request q) throws FsError {
        boolean trunc = q.wr && (q.flags & OpenFlags.O_TRUNC) != 0;
        CachedFile f = cache.open(path, h, q.wr, attrs, trunc);
        return new RegularFile(f, q.rd, q.wr, (q.flags & OpenFlags.O_APPEND) != 0,
                (q.flags & OpenFlags.O_DSYNC) != 0);
    }
}
