package ring0.cli.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Test-only: runs {@code ring0 bench ...} in-process with captured output. */
final class BenchCli {
    private BenchCli() {}

    /** What one command line did. */
    record Result(int status, String out, String err) {}

    /** Runs {@code bench ARGS} (the words after {@code ring0 bench}). */
    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }
}
