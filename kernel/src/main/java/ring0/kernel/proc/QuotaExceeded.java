package ring0.kernel.proc;

/** An allocation would take a process past its memory quota. */
public final class QuotaExceeded extends Exception {
    private static final long serialVersionUID = 1L;

    QuotaExceeded(long requested, long used, long quota) {
        super("memory quota exceeded: " + Long.toUnsignedString(requested) + " bytes requested, "
                + used + " of " + quota + " in use", null, false, false);
    }
}
