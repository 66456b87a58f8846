package ring0.cli;

/**
 * A failure to report to the user as one line on stderr, with the exit status
 * to return. Carries no stack trace: it is an expected outcome, not a bug.
 */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The process exit status, one of {@link ExitCode}. */
    int exitCode() { return exitCode; }

    /** An I/O or usage problem (exit status 2). */
    static CliException usage(String message) { return new CliException(ExitCode.USAGE, message); }

    /** Input that ring0 rejects (exit status 1). */
    static CliException rejected(String message) { return new CliException(ExitCode.REJECTED, message); }
}
