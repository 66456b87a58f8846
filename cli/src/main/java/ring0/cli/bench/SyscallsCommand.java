package ring0.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ring0 bench syscalls}: system-call latency on every gate (the paper's Table 2). */
@Command(
        name = "syscalls",
        header = "System-call latency per gate, after lmbench's lat_syscall (the paper's Table 2).",
        description = {
            "%nRuns bench/lat_syscall.tal through int 0x80 and syscall on Linux and in kernel mode, "
                + "and prints the median time per call over many batches, with each gate's ratio to syscall. "
                + "A batch is N calls between two clock readings. Unless --iterations is given, N is calibrated "
                + "per gate and test so that a batch takes about 5 ms, by batches that also serve as a warm-up "
                + "of at least 0.5 s. The batches are spread over rounds in which the gates take turns; each "
                + "run's first batch is dropped. Takes about a minute.",
            "%nProcess creation is opt-in: --tests spawn starts bench/true.tal (which returns 0) and waits for it, "
                + "N times per batch; one call is a spawn and a wait, hundreds of microseconds.",
        })
final class SyscallsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Option(names = "--iterations", paramLabel = "N", description = "calls per batch (default: calibrated per gate and test)")
    long iterations;

    @Option(names = "--batches", paramLabel = "B", defaultValue = "60", description = "batches per gate and test (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "rounds the batches are spread over (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--gates", paramLabel = "LIST", converter = Lists.GateList.class,
            description = "gates to run: int80, syscall, ring0, and ring0-upcall (kernel mode with getpid and "
                    + "getppid through the upcall, to measure what the upcall costs) (default: int80,syscall,ring0)")
    List<Gate> gates = List.of(Gate.INT80, Gate.SYSCALL, Gate.RING0);

    @Option(names = "--tests", paramLabel = "LIST", converter = Lists.TestList.class,
            description = "tests: getpid, read, write, fstat, getppid, openclose, loop, and spawn (start a program "
                    + "that does nothing, bench/true.tal, and wait for it: process creation) "
                    + "(default: getpid,read,write,fstat,getppid,openclose,loop)")
    List<String> tests = LatencyBench.DEFAULT_TESTS;

    @Option(names = "--programs", paramLabel = "DIR",
            description = "where lat_syscall.tal (and true.tal, for spawn) is (default: bench/ of the ring0 tree)")
    Path programs;

    @Option(names = "--dir", paramLabel = "DIR", description = "where to create the scratch directory (default: the temporary directory)")
    Path dir;

    @Override
    public Integer call() throws InterruptedException {
        if (iterations < 0) throw new ParameterException(spec.commandLine(), "--iterations must be positive");
        if (batches < 1 || rounds < 1) throw new ParameterException(spec.commandLine(), "--batches and --rounds must be positive");
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var config = new LatencyBench.Config(tests, iterations, batches, rounds, Duration.ofMillis(5));
        double loadBefore = Machine.loadAverage();
        try (Session s = Session.open("lat_syscall", programs, dir); Progress progress = Progress.toTerminal(err)) {
            Path file = s.workspace().file("fstat.dat", 4096);
            Path child = tests.contains(LatencyBench.SPAWN) ? s.build(LatencyBench.CHILD).exe() : null;
            var cells = new LatencyBench(config, s.runners(gates), file, child, progress).run();
            progress.close();
            LatencyReport report = new LatencyReport(cells, batches, loadBefore, Machine.loadAverage());
            out.print(json ? report.json() + "\n" : report.table());
            return 0;
        } catch (BenchException e) {
            err.println("ring0 bench syscalls: " + e.getMessage());
            return BenchCommand.FAILED;
        }
    }
}
