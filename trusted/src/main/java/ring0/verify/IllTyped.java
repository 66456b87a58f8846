package ring0.verify;

/**
 * The checker rejected a program. The only exception {@link Checker} throws;
 * {@link #rejection()} says where and why.
 */
public final class IllTyped extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    public IllTyped(Rejection rejection) {
        this(rejection, null);
    }

    /**
     * A rejection caused by {@code cause}: an exception inside the checker
     * (a bug in it), kept so that the report can show where it came from.
     */
    public IllTyped(Rejection rejection, Throwable cause) {
        super(null, cause, false, false);
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
