package ring0.kernel.load;

/**
 * A program could not be loaded: its image does not fit the kernel's layout,
 * or the host refused the memory. The message says why, for the user.
 */
public final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A load failure with a message for the user. */
    public LoadException(String message) {
        super(message, null, false, false);
    }

    /** A load failure caused by the host refusing memory. */
    public LoadException(String message, NativeMemoryException cause) {
        super(message + ": " + cause.getMessage(), cause, false, false);
    }
}
