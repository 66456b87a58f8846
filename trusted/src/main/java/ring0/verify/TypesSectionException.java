package ring0.verify;

/** A malformed {@code .ring0.types} section: what is wrong and at which section offset. */
public final class TypesSectionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;
    private final String reason;

    /**
     * @param offset offset in the section of the bad record or field
     * @param reason what is wrong
     */
    public TypesSectionException(int offset, String reason) {
        super(null, null, false, false);
        this.offset = offset;
        this.reason = reason;
    }

    /** Offset in the section of the bad record or field. */
    public int offset() { return offset; }

    /** What is wrong. */
    public String reason() { return reason; }

    @Override
    public String getMessage() { return String.format(".ring0.types offset 0x%x: %s", offset, reason); }
}
