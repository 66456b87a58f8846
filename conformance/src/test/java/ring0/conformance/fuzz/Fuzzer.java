package ring0.conformance.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The mutation fuzzing loop. For a range of mutant indices it makes each
 * mutant ({@link Mutator}), asks the gate (the checker) about it, and keeps
 * the distinct accepted ones (by SHA-256); then it runs each distinct accepted
 * mutant natively ({@link Sandbox}) and records a {@link Finding} for every
 * checker failure and every native crash. Both phases run on several threads;
 * everything but timing is determined by the campaign seed.
 *
 * <p>Accepted mutants are not kept in memory: each is rebuilt from its index
 * when it runs. The set of digests persists across {@link #run} calls, so a
 * long campaign can go chunk by chunk without running a mutant twice.
 */
final class Fuzzer {
    /**
     * Settings.
     *
     * @param seed        campaign seed
     * @param threads     worker threads for both phases
     * @param timeoutMs   wall-clock limit of one native run
     * @param bothGates   run about half of the mutants (by a bit of their SHA-256) through the stub's
     *                    int80 gate, the others through syscall
     * @param maxFindings stop after this many findings
     * @param checkLimitMs a single checker call taking longer than this is a finding
     * @param out         where to save mutants that are findings
     * @param skip        kinds of edit not to make
     */
    record Config(long seed, int threads, long timeoutMs, boolean bothGates, int maxFindings, long checkLimitMs, Path out,
                  Set<Mutator.Kind> skip) {
        Config {
            skip = Set.copyOf(skip);
        }
    }

    private final List<Seed> seeds;
    private final Gate gate;
    private final Config config;
    final FuzzStats stats = new FuzzStats();
    final List<Finding> findings = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<ByteBuffer, Boolean> seen = new ConcurrentHashMap<>();
    private final Path work;

    Fuzzer(List<Seed> seeds, Gate gate, Config config) {
        this.seeds = List.copyOf(seeds);
        this.gate = gate;
        this.config = config;
        try {
            work = Files.createTempDirectory("ring0-mutfuzz");
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Config config() { return config; }

    /** The mutant of this campaign with index {@code index}. */
    Mutator.Mutant mutant(long index) {
        return Mutator.mutant(seeds, config.seed(), index, config.skip());
    }

    private boolean done() {
        return findings.size() >= config.maxFindings();
    }

    /** Checks mutants {@code [from, to)} and runs the distinct accepted ones; false if stopped early. */
    boolean run(long from, long to, PrintStream log) throws InterruptedException {
        List<Long> accepted = check(from, to, log);
        if (accepted == null) return false;
        Collections.sort(accepted);
        runNatively(accepted);
        return !done();
    }

    /** Phase 1: the indices of new distinct accepted mutants, or null if a checker call hung. */
    private List<Long> check(long from, long to, PrintStream log) throws InterruptedException {
        AtomicLong next = new AtomicLong(from);
        List<Long> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicLongArray busySince = new AtomicLongArray(config.threads()), busyIndex = new AtomicLongArray(config.threads());
        AtomicInteger running = new AtomicInteger(config.threads());
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> harnessErrors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < config.threads(); t++) {
            int me = t;
            Thread th = new Thread(() -> {
                try {
                    MessageDigest sha = sha256();
                    long i;
                    while (!stop.get() && !done() && (i = next.getAndIncrement()) < to) {
                        Mutator.Mutant m = mutant(i);
                        busyIndex.set(me, i);
                        long t0 = System.nanoTime();
                        busySince.set(me, t0);
                        Gate.Verdict v = gate.judge(m.elf(), m.seed().name());
                        busySince.set(me, 0);
                        stats.checkNanos.add(System.nanoTime() - t0);
                        stats.judged(m, v);
                        switch (v) {
                            case Gate.Verdict.Accepted a -> {
                                if (seen.putIfAbsent(ByteBuffer.wrap(sha.digest(m.elf())), Boolean.TRUE) == null) {
                                    stats.distinct.increment();
                                    accepted.add(i);
                                }
                            }
                            case Gate.Verdict.Rejected r -> { }
                            case Gate.Verdict.Broken b -> report(Finding.Kind.CHECKER_FAILURE, m, b.what(), null);
                        }
                    }
                } catch (Throwable e) {
                    harnessErrors.add(e);
                    stop.set(true);
                } finally {
                    running.decrementAndGet();
                }
            }, "mutfuzz-check-" + t);
            th.setDaemon(true);
            th.start();
        }
        while (running.get() > 0) {
            Thread.sleep(50);
            for (int t = 0; t < config.threads(); t++) {
                long since = busySince.get(t);
                if (since != 0 && System.nanoTime() - since > config.checkLimitMs() * 1_000_000) {
                    stop.set(true);
                    Mutator.Mutant m = mutant(busyIndex.get(t));
                    report(Finding.Kind.CHECKER_HANG, m, "still checking after " + config.checkLimitMs() + " ms", null);
                    log.println("checker hang on mutant " + m.index() + "; abandoning its thread");
                    return null;
                }
            }
        }
        if (!harnessErrors.isEmpty()) throw new IllegalStateException("the fuzzing harness failed", harnessErrors.getFirst());
        return new ArrayList<>(accepted);
    }

    /** Phase 2: runs each accepted mutant once. */
    private void runNatively(List<Long> indices) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Throwable> harnessErrors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < config.threads(); t++) {
            int me = t;
            Thread th = new Thread(() -> {
                try (Sandbox box = new Sandbox(work, "run" + me)) {
                    MessageDigest sha = sha256();
                    int k;
                    while (!done() && (k = next.getAndIncrement()) < indices.size()) {
                        Mutator.Mutant m = mutant(indices.get(k));
                        // The gate follows the contents, not the index (which of several identical mutants
                        // is run first depends on thread timing), so a campaign seed repeats every run.
                        boolean int80 = config.bothGates() && (sha.digest(m.elf())[0] & 1) == 1;
                        long t0 = System.nanoTime();
                        NativeRunner.Outcome o = box.run(m.elf(), m.seed().args(), int80, config.timeoutMs());
                        stats.runNanos.add(System.nanoTime() - t0);
                        stats.ran(m.index(), o);
                        if (o instanceof NativeRunner.Outcome.Signaled(int s) && NativeRunner.isCrash(s)) {
                            String how = o + (int80 ? " (int80 gate)" : " (syscall gate)") + "; stderr: " + box.lastStderr().strip();
                            String verdict = switch (gate.judge(m.elf(), m.seed().name())) {
                                case Gate.Verdict.Accepted a -> "accepted: " + a.summary();
                                case Gate.Verdict.Rejected r -> "rejected on the second look (nondeterminism!): " + r.message();
                                case Gate.Verdict.Broken b -> "failed on the second look: " + b.what();
                            };
                            report(Finding.Kind.NATIVE_CRASH, m, verdict, how);
                        }
                    }
                } catch (Throwable e) {
                    harnessErrors.add(e);
                }
            }, "mutfuzz-run-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        if (!harnessErrors.isEmpty()) throw new IllegalStateException("the native run harness failed", harnessErrors.getFirst());
    }

    private void report(Finding.Kind kind, Mutator.Mutant m, String checker, String outcome) {
        Path saved = save(kind, m, checker, outcome);
        findings.add(new Finding(kind, m.seed().name(), config.seed(), m.index(), m.description(), saved, checker, outcome));
    }

    /** Saves the mutant and a note beside it; null if that fails (the finding is reported anyway). */
    private Path save(Finding.Kind kind, Mutator.Mutant m, String checker, String outcome) {
        try {
            Files.createDirectories(config.out());
            String base = "mutant-" + m.seed().name() + "-" + config.seed() + "-" + m.index();
            Path elf = config.out().resolve(base + ".elf");
            Files.write(elf, m.elf());
            Files.setPosixFilePermissions(elf, PosixFilePermissions.fromString("rwxr-xr-x"));
            String note = kind + "\nseed program: " + m.seed().name() + " " + String.join(" ", m.seed().args())
                    + "\ncampaign seed: " + config.seed() + "\nmutant index: " + m.index()
                    + "\nmutation: " + m.description() + "\nnative run: " + outcome + "\nchecker: " + checker + "\n";
            Files.writeString(config.out().resolve(base + ".txt"), note, StandardCharsets.UTF_8);
            return elf;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Removes the working directory. */
    void cleanUp() throws IOException {
        try (var files = Files.walk(work)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
