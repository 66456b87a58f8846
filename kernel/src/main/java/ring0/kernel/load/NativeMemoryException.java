package ring0.kernel.load;

/**
 * A call to the host's memory-mapping functions failed.
 */
public final class NativeMemoryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The host's {@code errno}. */
    public final int errno;

    /**
     * @param what  what was attempted, e.g. {@code "mmap 8392704 bytes"}
     * @param errno the host's {@code errno} after the failed call
     */
    public NativeMemoryException(String what, int errno) {
        super(what + " failed (errno " + errno + ")", null, false, false);
        this.errno = errno;
    }
}
