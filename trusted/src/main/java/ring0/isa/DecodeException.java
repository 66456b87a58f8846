package ring0.isa;

/**
 * The {@link Decoder} rejected the bytes at {@link #offset()}. Thrown for every
 * input outside the supported subset, so it is cheap: no stack trace, and the
 * message is built only when asked for.
 */
public final class DecodeException extends Exception {
    private final int offset;
    private final String reason;

    /**
     * @param offset absolute offset of the start of the rejected instruction
     * @param reason what is wrong, e.g. {@code "syscall is not allowed"}
     */
    public DecodeException(int offset, String reason) {
        super(null, null, false, false);
        this.offset = offset;
        this.reason = reason;
    }

    /** Absolute offset in the code array of the start of the rejected instruction. */
    public int offset() { return offset; }

    /** Why the instruction was rejected, without the offset. */
    public String reason() { return reason; }

    /** {@code "offset 0x%x: reason"}. */
    @Override
    public String getMessage() { return String.format("offset 0x%x: %s", offset, reason); }
}
