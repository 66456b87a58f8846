package ring0.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The file throughput benchmark (the paper's Figure 1, after IOzone
 * {@code -i 0 -i 1}): runs {@code iozone} on Linux (the {@code syscall} gate)
 * and in kernel mode for each file size, and keeps each test's throughput.
 *
 * <p>How it times, like IOzone: the program reads {@code clock} around the
 * read or write loop only (opening and creating are never timed; close and
 * fsync only with the flags that say so). A small file is
 * too short for a clock reading to be negligible, so one timed run goes
 * through several files of the same size, one after the other, until about
 * {@link Config#bytesPerRun} bytes have moved. Each size is run
 * {@link Config#runs} times per gate, the gates taking turns (the first gate
 * alternating from run to run), and the median throughput is reported. Before
 * the first size, each gate runs discarded warm-up runs for about three seconds
 * (the JIT compiles the kernel's file paths only after many calls).
 */
final class IoBench {
    /** Warm-up runs per gate go on for at least this long (and at least {@link Config#warmups} runs)... */
    static final long WARMUP_NANOS = 3_000_000_000L;
    /** ... but stop after this many. */
    static final int MAX_WARMUPS = 200;

    /** iozone's tests, in the order it runs them. */
    static final List<String> TESTS = List.of("write", "rewrite", "read", "reread");

    /**
     * What to measure.
     *
     * @param sizes       file sizes in bytes, increasing
     * @param record      bytes per read or write call
     * @param flags       iozone's FLAGS argument: {@code -}, or any of {@code c} (close inside the timing) and
     *                    {@code e} (fsync of each written file inside the timing)
     * @param runs        runs per size and gate
     * @param bytesPerRun how many bytes a timed run should move at least (through several files if need be)
     * @param maxFiles    most files in one run
     * @param warmups     discarded runs per gate before the first size, at least
     */
    record Config(List<Long> sizes, int record, String flags, int runs, long bytesPerRun, int maxFiles, int warmups) {
        Config {
            sizes = List.copyOf(sizes);
            if (sizes.isEmpty() || record < 1 || runs < 1 || maxFiles < 1 || warmups < 0) throw new IllegalArgumentException("config");
            for (long s : sizes) if (s < record) throw new IllegalArgumentException("size " + s + " below the record size");
        }

        /** How many files a run of {@code size} goes through. */
        int files(long size) {
            return (int) Math.clamp((bytesPerRun + size - 1) / size, 1, maxFiles);
        }
    }

    /**
     * One file size: per gate, per test, the MB/s of each run.
     *
     * @param size  bytes per file
     * @param files files per run
     * @param mbps  gate, then test, to one value per run
     */
    record Point(long size, int files, Map<Gate, Map<String, List<Double>>> mbps) {}

    private final Config config;
    private final List<Runner> runners;
    private final Path dir;
    private final Progress progress;

    /**
     * @param runners one per gate
     * @param dir     where the files go (one subdirectory per gate), inside the kernel's root
     */
    IoBench(Config config, List<Runner> runners, Path dir, Progress progress) {
        this.config = config;
        this.runners = List.copyOf(runners);
        this.dir = dir;
        this.progress = progress;
    }

    /** Runs every size. */
    List<Point> run() throws BenchException, InterruptedException {
        // Warm up on the smallest size and on the largest up to 4 MB, taking turns, so that the JIT has
        // seen both files of one page-table chunk and files of many before the first timed run.
        long small = Math.max(config.record(), Math.min(1L << 20, config.sizes().getFirst()));
        long large = Math.max(small, config.sizes().stream().filter(s -> s <= 4L << 20).max(Long::compare).orElse(small));
        long[] warmSizes = {small, large};
        for (Runner r : runners) {
            long start = System.nanoTime();
            for (int w = 0; w < MAX_WARMUPS && (w < config.warmups() || System.nanoTime() - start < WARMUP_NANOS); w++) {
                progress.show("warm-up " + (w + 1) + " on " + r.gate().label);
                once(r, warmSizes[w % 2]);
            }
        }
        List<Point> points = new ArrayList<>();
        int k = 0;
        for (long size : config.sizes()) {
            k++;
            Map<Gate, Map<String, List<Double>>> mbps = new LinkedHashMap<>();
            for (Runner r : runners) {
                Map<String, List<Double>> m = new LinkedHashMap<>();
                for (String t : TESTS) m.put(t, new ArrayList<>());
                mbps.put(r.gate(), m);
            }
            for (int run = 0; run < config.runs(); run++) {
                for (int i = 0; i < runners.size(); i++) {
                    Runner r = runners.get((i + run) % runners.size());
                    progress.show("size " + Lists.sizeText(size) + " (" + k + "/" + config.sizes().size() + "), run "
                            + (run + 1) + "/" + config.runs() + " on " + r.gate().label);
                    Map<String, Double> got = once(r, size);
                    for (String t : TESTS) mbps.get(r.gate()).get(t).add(got.get(t));
                }
            }
            points.add(new Point(size, config.files(size), mbps));
        }
        return points;
    }

    /** One run of iozone on {@code size}: MB/s per test. */
    private Map<String, Double> once(Runner r, long size) throws BenchException, InterruptedException {
        Path sub = dir.resolve(r.gate().label);
        int files = config.files(size);
        List<String> args = new ArrayList<>(List.of(Long.toString(size), Integer.toString(config.record()), config.flags()));
        try {
            Files.createDirectories(sub);
        } catch (IOException e) {
            throw new BenchException("cannot create " + sub + ": " + e.getMessage());
        }
        for (int i = 0; i < files; i++) args.add(r.path(sub.resolve(String.format("f%03d", i))));
        List<Measurement> ms = Measurement.parseAll("iozone", r.run(args));
        removeFiles(sub);
        long expected = files * (size / config.record() * config.record());
        Map<String, Double> result = new LinkedHashMap<>();
        for (Measurement m : ms) {
            if (!TESTS.contains(m.test()) || result.containsKey(m.test()) || m.count() != expected) {
                throw new BenchException("iozone " + String.join(" ", args.subList(0, 3)) + " on " + r.gate().label
                        + " printed '" + m.test() + " " + m.count() + "', expected one line per test with " + expected + " bytes");
            }
            result.put(m.test(), m.megabytesPerSecond());
        }
        if (result.size() != TESTS.size()) {
            throw new BenchException("iozone on " + r.gate().label + " printed " + result.keySet() + ", expected " + TESTS);
        }
        return result;
    }

    /** Deletes the run's files, so that every run writes new files (and disk space stays bounded). */
    private static void removeFiles(Path sub) throws BenchException {
        try (Stream<Path> files = Files.list(sub)) {
            for (Path f : files.toList()) Files.delete(f);
        } catch (IOException e) {
            throw new BenchException("cannot clean " + sub + ": " + e.getMessage());
        }
    }
}
