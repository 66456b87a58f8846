package ring0.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@link Main} in-process with captured output. */
final class Cli {
    private Cli() {}

    /** What one command line did. */
    record Result(int status, String out, String err) {
        /** True if stderr shows no sign of a Java stack trace. */
        boolean noStackTrace() {
            return !err.contains("Exception") && !err.contains("\tat ") && !out.contains("\tat ");
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }
}
