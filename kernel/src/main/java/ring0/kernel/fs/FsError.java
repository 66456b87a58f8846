package ring0.kernel.fs;

/**
 * An error inside the file layer that ends the current operation with
 * {@code -errno}. It never leaves the package: {@link FdTable} and
 * {@link Vfs} turn it into a return value at their public boundary. It carries
 * no stack trace, because it is an expected outcome, not a bug.
 */
class FsError extends Exception {
    private static final long serialVersionUID = 1L;

    /** The positive Linux error number. */
    final int errno;

    FsError(int errno) {
        super(Errno.name(errno), null, false, false);
        this.errno = errno;
    }
}
