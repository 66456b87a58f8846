package ring0.cli.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ring0 bench}: the paper's two experiments, redone on this machine. */
@Command(
        name = "bench",
        header = "Measure system-call latency and file throughput on every gate.",
        description = {
            "%nEach benchmark is one typed program (bench/lat_syscall.tal, bench/iozone.tal), assembled and "
                + "verified once; the same ELF file runs on Linux through int 0x80 and syscall, and in kernel "
                + "mode inside this JVM. Every number is measured in the same run.",
        },
        subcommands = {SyscallsCommand.class, IoCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n")
public final class BenchCommand implements Callable<Integer> {
    /** Exit status when a benchmark could not be run. */
    static final int FAILED = 1;
    /** Exit status for a usage error. */
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** Without a subcommand: the usage on stderr, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ring0 bench: missing command (syscalls or io)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }
}
