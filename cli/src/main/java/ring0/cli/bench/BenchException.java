package ring0.cli.bench;

/**
 * A benchmark that could not be run or gave output that makes no sense: told
 * to the user as one line, without a stack trace.
 */
final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message, null, false, false);
    }
}
