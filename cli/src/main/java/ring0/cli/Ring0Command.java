package ring0.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code ring0} command. Each tool is a subcommand; adding one
 * means writing a {@code Callable<Integer>} annotated with {@code @Command} and
 * listing it in {@code subcommands} below.
 */
@Command(
        name = "ring0",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "ring0: x86-64 programs in a typed assembly language, for a kernel written in Java.",
        description = {
            "%nThe ring0 kernel runs programs inside its own process, protected by a trusted type "
                + "checker instead of hardware privilege. These commands build such programs as ELF64 "
                + "executables that also run directly on Linux, and inspect them with the trusted decoder.",
        },
        subcommands = {AsCommand.class, CheckCommand.class, RunCommand.class, DisasmCommand.class, ring0.cli.bench.BenchCommand.class, HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footer = {"%nRun 'ring0 COMMAND --help' for the options of a command."})
final class Ring0Command implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: show the usage on stderr and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ring0: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
