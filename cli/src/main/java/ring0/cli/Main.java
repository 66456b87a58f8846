package ring0.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code ring0} command. {@link #run} executes a command
 * line in-process and returns its exit status, which is what the tests use;
 * {@link #main} wires it to the process's streams and exit status.
 */
public final class Main {
    private Main() {}

    /** Runs the command line and exits the JVM with its status. */
    public static void main(String[] args) {
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        int status = run(out, err, args);
        System.exit(status);
    }

    /**
     * Runs one {@code ring0} command line.
     *
     * @param out  where results (listings, help, version) go
     * @param err  where diagnostics and error messages go
     * @param args the arguments after {@code ring0}
     * @return the exit status (see {@code ring0 --help})
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Ring0Command());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(Main::onExecutionException);
        cl.setParameterExceptionHandler(Main::onParameterException);
        configureHelp(cl);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Every command's {@code --help} has the same headings and ends with the exit-code list. */
    private static void configureHelp(CommandLine cl) {
        cl.getCommandSpec().usageMessage()
                .parameterListHeading("%nParameters:%n")
                .optionListHeading("%nOptions:%n")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpList());
        for (CommandLine sub : cl.getSubcommands().values()) configureHelp(sub);
    }

    private static int onExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof CliException e) {
            err.println("ring0 " + cmd.getCommandName() + ": " + e.getMessage());
            return e.exitCode();
        }
        err.println("ring0: internal error: " + ex);
        ex.printStackTrace(err);
        err.println("ring0: this is a bug in ring0; please report it with the input that caused it.");
        return ExitCode.INTERNAL;
    }

    private static int onParameterException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(qualifiedName(cmd) + ": " + describe(ex));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.print("Usage: " + cmd.getHelp().synopsis(0));
        err.println("Try '" + qualifiedName(cmd) + " --help' for more information.");
        return ExitCode.USAGE;
    }

    /** Picocli's message, except that an unknown first word is called an unknown command. */
    private static String describe(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u && cmd.getParent() == null && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            if (!first.startsWith("-")) return "unknown command '" + first + "'";
        }
        return ex.getMessage();
    }

    /** {@code ring0} or {@code ring0 as}. */
    private static String qualifiedName(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName() : "ring0 " + cmd.getCommandName();
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), false);
    }
}
