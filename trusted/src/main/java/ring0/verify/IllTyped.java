package ring0.verify;

/**
 * The checker rejected a program. The only exception {@link Checker} throws;
 * {@link #rejection()} says where and why.
 */
public final class IllTyped extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    public IllTyped(Rejection rejection) {
        super(null, null, false, false);
        this.rejection = rejection;
    }

    /** Where and why. */
    public Rejection rejection() { return rejection; }

    /** {@link Rejection#toString()}. */
    @Override
    public String getMessage() { return rejection.toString(); }

    @Override
    public String toString() { return rejection.toString(); }
}
