package ring0.kernel.fs;

/**
 * The Linux x86-64 {@code open} flags the kernel understands (octal, as in
 * {@code asm-generic/fcntl.h}). Flags not listed here are ignored, as Linux
 * ignores unknown flags, except {@code O_PATH} and {@code O_TMPFILE}, which
 * are refused with {@code EINVAL} because the kernel does not implement them.
 */
public final class OpenFlags {
    private OpenFlags() {}

    /** Open for reading only. */
    public static final int O_RDONLY = 0;
    /** Open for writing only. */
    public static final int O_WRONLY = 01;
    /** Open for reading and writing. */
    public static final int O_RDWR = 02;
    /** Mask of the access mode. */
    public static final int O_ACCMODE = 03;
    /** Create the file if it does not exist. */
    public static final int O_CREAT = 0100;
    /** With {@code O_CREAT}: fail with {@code EEXIST} if it exists (a final symlink counts). */
    public static final int O_EXCL = 0200;
    /** Empty a regular file opened for writing. */
    public static final int O_TRUNC = 01000;
    /** Every write goes to the end. */
    public static final int O_APPEND = 02000;
    /** Accepted; the kernel's descriptors never block on regular files. */
    public static final int O_NONBLOCK = 04000;
    /** Each write is also written back and forced, like {@code O_SYNC}. */
    public static final int O_DSYNC = 010000;
    /** The path must name a directory. */
    public static final int O_DIRECTORY = 0200000;
    /** Fail with {@code ELOOP} if the last component is a symbolic link. */
    public static final int O_NOFOLLOW = 0400000;
    /** Accepted and ignored (the kernel has no {@code exec}). */
    public static final int O_CLOEXEC = 02000000;
    /** Each write is written back and forced before it returns (includes {@link #O_DSYNC}). */
    public static final int O_SYNC = 04010000;
    /** Not supported: {@code EINVAL}. */
    public static final int O_PATH = 010000000;
    /** Not supported: {@code EINVAL} (its value includes {@link #O_DIRECTORY}). */
    public static final int O_TMPFILE = 020000000 | O_DIRECTORY;
}
