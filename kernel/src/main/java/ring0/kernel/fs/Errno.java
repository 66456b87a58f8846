package ring0.kernel.fs;

/**
 * Linux x86-64 error numbers, as the kernel returns them: a failed call
 * returns {@code -errno} in {@code rax}. Only the values the file layer uses
 * (and a few neighbours a caller is likely to want) are listed; the numbers
 * are those of {@code asm-generic/errno-base.h} and {@code errno.h}.
 */
public final class Errno {
    private Errno() {}

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process. */
    public static final int ESRCH = 3;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** Argument list too long. */
    public static final int E2BIG = 7;
    /** Exec format error (not a ring0 executable, or it does not verify). */
    public static final int ENOEXEC = 8;
    /** No child processes (none with that pid left to wait for). */
    public static final int ECHILD = 10;
    /** Bad file descriptor (closed, out of range, or wrong access mode). */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = 11;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied (also: a symlink whose target would leave the root). */
    public static final int EACCES = 13;
    /** Bad address: a buffer range outside the memory the caller owns. */
    public static final int EFAULT = 14;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Invalid cross-device link. */
    public static final int EXDEV = 18;
    /** Not a directory. */
    public static final int ENOTDIR = 20;
    /** Is a directory. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in this process. */
    public static final int EMFILE = 24;
    /** File too large. */
    public static final int EFBIG = 27;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Illegal seek (devices and streams). */
    public static final int ESPIPE = 29;
    /** Read-only file system. */
    public static final int EROFS = 30;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Too many levels of symbolic links. */
    public static final int ELOOP = 40;
    /** Value too large for defined data type. */
    public static final int EOVERFLOW = 75;
    /** Invalid or incomplete multibyte character (a name the host cannot spell). */
    public static final int EILSEQ = 84;
    /** Disk quota exceeded. */
    public static final int EDQUOT = 122;

    /** The symbolic name of {@code errno}, e.g. {@code ENOENT}, or {@code E<n>} for one not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case E2BIG -> "E2BIG";
            case ENOEXEC -> "ENOEXEC";
            case ECHILD -> "ECHILD";
            case EIO -> "EIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EEXIST -> "EEXIST";
            case EXDEV -> "EXDEV";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case EFBIG -> "EFBIG";
            case ENOSPC -> "ENOSPC";
            case ESPIPE -> "ESPIPE";
            case EROFS -> "EROFS";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOSYS -> "ENOSYS";
            case ELOOP -> "ELOOP";
            case EOVERFLOW -> "EOVERFLOW";
            case EILSEQ -> "EILSEQ";
            case EDQUOT -> "EDQUOT";
            default -> "E" + errno;
        };
    }

    /** A one-line description of {@code errno} in the words of Linux's {@code strerror}, for messages. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EINTR -> "Interrupted system call";
            case E2BIG -> "Argument list too long";
            case ENOEXEC -> "Exec format error";
            case ECHILD -> "No child processes";
            case EIO -> "Input/output error";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EFAULT -> "Bad address";
            case EEXIST -> "File exists";
            case EXDEV -> "Invalid cross-device link";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case EMFILE -> "Too many open files";
            case EFBIG -> "File too large";
            case ENOSPC -> "No space left on device";
            case ESPIPE -> "Illegal seek";
            case EROFS -> "Read-only file system";
            case ENAMETOOLONG -> "File name too long";
            case ENOSYS -> "Function not implemented";
            case ELOOP -> "Too many levels of symbolic links";
            case EOVERFLOW -> "Value too large for defined data type";
            case EILSEQ -> "Invalid or incomplete multibyte or wide character";
            case EDQUOT -> "Disk quota exceeded";
            default -> "Unknown error " + errno;
        };
    }
}
