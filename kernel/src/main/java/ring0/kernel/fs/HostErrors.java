package ring0.kernel.fs;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Translates the host's {@link IOException}s back into the Linux error number
 * that caused them. The JDK keeps the number only in the exception's type for
 * a few errors and otherwise in the {@code strerror} text, so the rest is
 * recognised by that text (glibc's English wording). Anything unrecognised
 * becomes {@code EIO}: the caller learns that the host failed, never more.
 */
final class HostErrors {
    private HostErrors() {}

    /** The errno behind {@code e}. */
    static int errno(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> Errno.ENOENT;
            case FileAlreadyExistsException x -> Errno.EEXIST;
            case AccessDeniedException x -> Errno.EACCES;
            case NotDirectoryException x -> Errno.ENOTDIR;
            case ClosedChannelException x -> Errno.EBADF;
            case FileSystemException x -> byText(x.getReason());
            default -> byText(e.getMessage());
        };
    }

    /** An {@link FsError} carrying the errno behind {@code e}. */
    static FsError error(IOException e) { return new FsError(errno(e)); }

    private static int byText(String reason) {
        if (reason == null) return Errno.EIO;
        if (reason.contains("Not a directory")) return Errno.ENOTDIR;
        if (reason.contains("Is a directory")) return Errno.EISDIR;
        if (reason.contains("Too many levels of symbolic links")) return Errno.ELOOP;
        if (reason.contains("File name too long")) return Errno.ENAMETOOLONG;
        if (reason.contains("No space left on device")) return Errno.ENOSPC;
        if (reason.contains("Disk quota exceeded")) return Errno.EDQUOT;
        if (reason.contains("Read-only file system")) return Errno.EROFS;
        if (reason.contains("Operation not permitted")) return Errno.EPERM;
        if (reason.contains("Permission denied")) return Errno.EACCES;
        if (reason.contains("File too large")) return Errno.EFBIG;
        if (reason.contains("No such file or directory")) return Errno.ENOENT;
        if (reason.contains("File exists")) return Errno.EEXIST;
        return Errno.EIO;
    }
}
