package ring0.elf;

/**
 * A file that is not a well-formed ring0 executable. The message says where
 * (file offset) and what.
 */
public final class MalformedElfException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;

    /** @param offset file offset of the problem, or -1 if it concerns the whole file */
    public MalformedElfException(long offset, String message) {
        super(offset >= 0 ? String.format("offset 0x%x: %s", offset, message) : message, null, false, false);
        this.offset = offset;
    }

    /** File offset of the problem, or -1. */
    public long offset() { return offset; }
}
