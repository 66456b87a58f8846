package ring0.verify;

/**
 * Text that {@link TypeSyntax} does not accept. The only exception the parser throws.
 */
public final class TypeSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;
    private final int item;
    private final String reason;

    /**
     * @param position character index in the text where the problem is
     * @param item     index of the type definition the problem is in, or -1
     * @param reason   what is wrong
     */
    public TypeSyntaxException(int position, int item, String reason) {
        super(null, null, false, false);
        this.position = position;
        this.item = item;
        this.reason = reason;
    }

    /** Character index in the text of the problem. */
    public int position() { return position; }

    /** Index of the type definition the problem is in, or -1 when not parsing definitions. */
    public int item() { return item; }

    /** What is wrong, without the position. */
    public String reason() { return reason; }

    /** {@code "at N: reason"}. */
    @Override
    public String getMessage() { return "at " + position + ": " + reason; }
}
