package ring0.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The system-call latency benchmark (the paper's Table 2, after lmbench's
 * {@code lat_syscall}): runs {@code lat_syscall} through each gate and
 * reports the median time per call over many batches.
 *
 * <p>How it times, like lmbench: a batch is N calls between two
 * {@code clock} readings, with N chosen (unless given) so that a batch lasts
 * about {@link Config#batchTarget}; the result is the median over all batches
 * of the batch time divided by N. The batches are spread over rounds, and
 * within a round every gate runs each test in turn (the order of the gates
 * rotating from round to round), so that a change in the machine's load
 * affects all gates alike. Each run's first batch is a warm-up and is
 * dropped. The empty loop ({@code loop}) is measured and reported like any
 * test and never subtracted.
 *
 * <p>{@code spawn} (create a process running a program that does nothing,
 * and wait for it) is opt-in: it costs hundreds of microseconds per call, so
 * its N is small, often 1 in kernel mode.
 */
final class LatencyBench {
    /** Every test lat_syscall knows, in report order; the first four are the paper's. */
    static final List<String> TESTS = List.of("getpid", "read", "write", "fstat", "getppid", "openclose", "spawn", "loop");
    /** The tests run unless others are asked for: all but {@code spawn}. */
    static final List<String> DEFAULT_TESTS = List.of("getpid", "read", "write", "fstat", "getppid", "openclose", "loop");
    /** The tests that need FILE, an ordinary file. */
    static final List<String> NEEDS_FILE = List.of("fstat", "openclose");
    /** The test whose FILE is the child program ({@link #CHILD}). */
    static final String SPAWN = "spawn";
    /** The program spawn starts: {@code bench/true.tal}, which returns 0. */
    static final String CHILD = "true";

    /**
     * What to measure.
     *
     * @param tests       test names, a subset of {@link #TESTS}
     * @param iterations  N for every batch, or 0 to calibrate N per gate and test
     * @param batches     batches per gate and test (after the dropped warm-up batches)
     * @param rounds      rounds the batches are spread over
     * @param batchTarget how long a calibrated batch should take
     */
    record Config(List<String> tests, long iterations, int batches, int rounds, Duration batchTarget) {
        Config {
            tests = List.copyOf(tests);
            if (!TESTS.containsAll(tests) || tests.isEmpty()) throw new IllegalArgumentException("tests " + tests);
            if (iterations < 0 || batches < 1 || rounds < 1) throw new IllegalArgumentException("iterations/batches/rounds");
            rounds = Math.min(rounds, batches);
        }
    }

    /**
     * One gate and test.
     *
     * @param iterations N, calls per batch
     * @param perCall    each batch's ns per call, in the order measured
     */
    record Cell(long iterations, List<Double> perCall) {
        Cell {
            perCall = List.copyOf(perCall);
        }

        double median() { return Stats.median(perCall); }

        double lowerQuartile() { return Stats.quantile(perCall, 0.25); }

        double upperQuartile() { return Stats.quantile(perCall, 0.75); }

        /** The fastest batch: the closest to an idle machine that this run saw. */
        double best() { return Stats.quantile(perCall, 0); }
    }

    /** Longest a calibrated N may be. */
    static final long MAX_ITERATIONS = 1_000_000_000L;
    /** A calibration batch must last this long before its time per call is trusted. */
    static final long CALIBRATION_NANOS = 1_000_000;
    /** How long calibration (which is also the warm-up) runs batches of one gate and test at least. */
    static final long WARMUP_NANOS = 500_000_000;

    private final Config config;
    private final List<Runner> runners;
    private final Path file;
    private final Path child;
    private final Progress progress;

    /**
     * @param runners  one per gate, in report order
     * @param file     the file fstat and openclose use (inside the workspace)
     * @param child    the executable spawn starts (inside the workspace); may be null if the tests do not include spawn
     */
    LatencyBench(Config config, List<Runner> runners, Path file, Path child, Progress progress) {
        if (child == null && config.tests().contains(SPAWN)) throw new IllegalArgumentException("spawn needs a child program");
        this.config = config;
        this.runners = List.copyOf(runners);
        this.file = file;
        this.child = child;
        this.progress = progress;
    }

    /** Runs everything; the result maps each gate, then each test, to its cell. */
    Map<Gate, Map<String, Cell>> run() throws BenchException, InterruptedException {
        Map<Runner, Map<String, Long>> n = new LinkedHashMap<>();
        Map<Runner, Map<String, List<Double>>> samples = new LinkedHashMap<>();
        for (Runner r : runners) {
            n.put(r, new LinkedHashMap<>());
            samples.put(r, new LinkedHashMap<>());
            for (String t : config.tests()) {
                progress.show("calibrating " + t + " on " + r.gate().label);
                n.get(r).put(t, config.iterations() > 0 ? config.iterations() : calibrate(r, t));
                samples.get(r).put(t, new ArrayList<>());
            }
        }
        for (int round = 0; round < config.rounds(); round++) {
            int batches = config.batches() / config.rounds() + (round < config.batches() % config.rounds() ? 1 : 0);
            for (String t : config.tests()) {
                for (int i = 0; i < runners.size(); i++) {
                    Runner r = runners.get((i + round) % runners.size());
                    progress.show("round " + (round + 1) + "/" + config.rounds() + ": " + t + " on " + r.gate().label);
                    List<Double> got = batches(r, t, n.get(r).get(t), batches + 1);
                    samples.get(r).get(t).addAll(got.subList(1, got.size())); // the first batch is a warm-up
                }
            }
        }
        Map<Gate, Map<String, Cell>> result = new LinkedHashMap<>();
        for (Runner r : runners) {
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (String t : config.tests()) cells.put(t, new Cell(n.get(r).get(t), samples.get(r).get(t)));
            result.put(r.gate(), cells);
        }
        return result;
    }

    /**
     * N such that a batch takes about the target time. Grows N until a batch
     * takes {@link #CALIBRATION_NANOS}, scales it from the time per call, and
     * keeps running batches of the scaled N (rescaling when they are far from
     * the target) until they have run for {@link #WARMUP_NANOS} in all: the
     * JIT compiles the kernel's call paths only after many calls, and the
     * caches and branch predictors warm up the same way on every gate. A
     * call slower than the target (a spawn while the JIT is still cold) gives
     * N = 1, which counts as on target: no smaller N exists.
     */
    private long calibrate(Runner r, String test) throws BenchException, InterruptedException {
        long target = config.batchTarget().toNanos();
        long n = 10;
        double spent = 0;
        boolean scaled = false;
        for (int tries = 0; tries < 200; tries++) {
            double perCall = Stats.median(batches(r, test, n, 3));
            double batch = perCall * n;
            spent += 3 * batch;
            boolean onTarget = batch >= target / 3.0 && (batch <= target * 3.0 || n == 1);
            if (scaled && onTarget && spent >= WARMUP_NANOS || n >= MAX_ITERATIONS) return n;
            if (scaled && onTarget) continue;
            if (batch >= CALIBRATION_NANOS || scaled) {
                n = Math.clamp(Math.round(target / Math.max(perCall, 1e-3)), 1, MAX_ITERATIONS);
                scaled = true;
            } else {
                long grow = Math.clamp((long) Math.ceil(2.0 * CALIBRATION_NANOS / Math.max(batch, 1.0)), 2, 1000);
                n = Math.min(MAX_ITERATIONS, n * grow);
            }
        }
        return n; // the time per call kept changing: take the last estimate
    }

    /** Runs {@code count} batches of {@code n} and returns each batch's ns per call. */
    private List<Double> batches(Runner r, String test, long n, int count) throws BenchException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(test, Long.toString(n), Integer.toString(count)));
        if (NEEDS_FILE.contains(test)) args.add(r.path(file));
        if (test.equals(SPAWN)) args.add(r.path(child));
        List<Measurement> ms = Measurement.parseAll("lat_syscall", r.run(args));
        if (ms.size() != count) {
            throw new BenchException("lat_syscall " + String.join(" ", args) + " on " + r.gate().label
                    + " printed " + ms.size() + " batches, expected " + count);
        }
        List<Double> perCall = new ArrayList<>();
        for (Measurement m : ms) {
            if (!m.test().equals(test) || m.count() != n) {
                throw new BenchException("lat_syscall " + String.join(" ", args) + " on " + r.gate().label
                        + " printed '" + m.test() + " " + m.count() + "', expected '" + test + " " + n + "'");
            }
            perCall.add(m.nanosPerCount());
        }
        return perCall;
    }
}
