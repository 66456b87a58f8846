package ring0.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ring0 bench io}: file throughput on Linux and in kernel mode (the paper's Figure 1). */
@Command(
        name = "io",
        header = "File throughput, Linux against ring0, after IOzone -i 0 -i 1 (the paper's Figure 1).",
        description = {
            "%nRuns bench/iozone.tal (Write, Re-write, Read, Re-read with 16 KB records) for each file size "
                + "on Linux through the syscall gate and in kernel mode, and prints the median MB/s "
                + "(10^6 bytes/s) of several runs and ring0's gain in percent. Only the read/write loop is "
                + "timed (with --close also close, with --fsync also an fsync of each written file and close); "
                + "opening and creating never are. Files smaller than 4 MB are repeated within one "
                + "timed run (several files of that size) so that the clock readings do not matter.",
        })
final class IoCommand implements Callable<Integer> {
    /** The default sizes: 64 KB to 256 MB, a factor of 4 apart. */
    static final String DEFAULT_SIZES = "64k,256k,1m,4m,16m,64m,256m";
    /** The largest record iozone.tal's buffer holds (its MAX_RECORD). */
    static final long MAX_RECORD = 256 << 10;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--json", description = "print JSON instead of the tables")
    boolean json;

    @Option(names = "--fsync", description = "include fsync (of each written file) and close in the timing (IOzone -e -c)")
    boolean fsync;

    @Option(names = "--close", description = "include close in the timing (IOzone -c)")
    boolean close;

    @Option(names = "--sizes", paramLabel = "LIST", converter = Lists.SizeList.class,
            description = "file sizes, k/m/g = KiB/MiB/GiB (default: " + DEFAULT_SIZES + ")")
    List<Long> sizes;

    @Option(names = "--record", paramLabel = "SIZE", defaultValue = "16k", description = "bytes per call (default: ${DEFAULT-VALUE})")
    String record;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "9", description = "runs per size and gate (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "also draw the figure (four panels) to this PNG file")
    Path plot;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the test files go (default: the temporary directory)")
    Path dir;

    @Option(names = "--programs", paramLabel = "DIR", description = "where iozone.tal is (default: bench/ of the ring0 tree)")
    Path programs;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<Long> sz = sizes != null ? sizes : new Lists.SizeList().convert(DEFAULT_SIZES);
        long rec = Lists.size(record);
        if (rec > MAX_RECORD) throw new ParameterException(spec.commandLine(), "--record is at most 256k (iozone.tal's buffer)");
        if (runs < 1) throw new ParameterException(spec.commandLine(), "--runs must be positive");
        for (long s : sz) {
            if (s < rec) throw new ParameterException(spec.commandLine(), "size " + Lists.sizeText(s) + " is below the record size");
        }
        String flags = fsync ? "ec" : close ? "c" : "-";
        var config = new IoBench.Config(sz, (int) rec, flags, runs, 4L << 20, 64, 2);
        double loadBefore = Machine.loadAverage();
        try (Session s = Session.open("iozone", programs, dir); Progress progress = Progress.toTerminal(err)) {
            var points = new IoBench(config, s.runners(List.of(Gate.SYSCALL, Gate.RING0)), s.workspace().dir().resolve("io"),
                    progress).run();
            progress.close();
            IoReport report = new IoReport(points, (int) rec, fsync, close || fsync, runs, loadBefore, Machine.loadAverage());
            if (plot != null) IoPlot.write(report, plot);
            out.print(json ? report.json() + "\n" : report.table());
            return 0;
        } catch (BenchException e) {
            err.println("ring0 bench io: " + e.getMessage());
            return BenchCommand.FAILED;
        }
    }
}
