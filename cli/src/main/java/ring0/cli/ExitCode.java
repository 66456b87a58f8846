package ring0.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The exit statuses of every {@code ring0} subcommand. */
final class ExitCode {
    private ExitCode() {}

    /** Success. */
    static final int OK = 0;
    /** The input was rejected: assembly errors, a malformed executable, undecodable code. */
    static final int REJECTED = 1;
    /** Bad command line, or a file that could not be read or written. */
    static final int USAGE = 2;
    /** A bug in ring0 itself. */
    static final int INTERNAL = 3;

    /** The exit-code list shown in every {@code --help}, keyed by the status as text. */
    static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(" " + OK, "success");
        m.put(" " + REJECTED, "input rejected (assembly errors, malformed executable, undecodable code)");
        m.put(" " + USAGE, "usage error, or a file that could not be read or written");
        m.put(" " + INTERNAL, "internal error: a bug in ring0 (please report it)");
        return m;
    }
}
