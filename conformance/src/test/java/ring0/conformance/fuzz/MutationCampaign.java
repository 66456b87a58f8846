package ring0.conformance.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A long mutation fuzzing campaign against the trusted checker: the loop of
 * {@link MutationFuzzTest}, chunk by chunk with a progress line per chunk, a
 * summary at the end, exit status 1 if anything was found (each finding is
 * printed and its mutant saved). Mutants already run in an earlier chunk are
 * not run again.
 *
 * <p>Run it from the repository root: the first command compiles everything,
 * the second runs the campaign (here 400,000 mutants: about 10 minutes on two
 * cores, most of it in native runs, a third of that in mutants that loop until
 * the timeout).
 * <pre>
 * mvn -q -Dring0.builddir=/tmp/build-mutfuzz -pl conformance -am test-compile
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED -Xss8m -XX:-OmitStackTraceInFastThrow \
 *     -Dring0.fuzz.count=400000 \
 *     -cp /tmp/build-mutfuzz/ring0-conformance/test-classes:/tmp/build-mutfuzz/ring0-asm/classes:/tmp/build-mutfuzz/ring0-trusted/classes \
 *     ring0.conformance.fuzz.MutationCampaign
 * </pre>
 * Properties: {@code ring0.fuzz.count} (mutants), {@code ring0.fuzz.seed}
 * (repeat a campaign), {@code ring0.fuzz.threads}, {@code ring0.fuzz.timeoutMs}
 * (per native run, default 2000), {@code ring0.fuzz.out} (where findings go,
 * default {@code /tmp/ring0-mutfuzz}), {@code ring0.fuzz.skip} (kinds of edit
 * not to make, e.g. {@code ELF_HEADER,META}; a replay needs the same list),
 * and {@code ring0.fuzz.replay=I}: rebuild
 * only mutant I of the campaign {@code ring0.fuzz.seed}, print what it is and
 * what the checker says, save it and run it.
 */
public final class MutationCampaign {
    private MutationCampaign() {}

    private static final long CHUNK = 50_000;

    public static void main(String[] args) throws Exception {
        long count = Long.getLong("ring0.fuzz.count", 1_000_000);
        long seed = Long.getLong("ring0.fuzz.seed", new SplittableRandom().nextLong());
        int threads = Integer.getInteger("ring0.fuzz.threads", Math.max(2, Runtime.getRuntime().availableProcessors()));
        long timeout = Long.getLong("ring0.fuzz.timeoutMs", 2_000);
        Path out = Path.of(System.getProperty("ring0.fuzz.out", "/tmp/ring0-mutfuzz"));

        Seeds.Loaded loaded = Seeds.load();
        loaded.skipped().forEach((name, why) -> System.out.println("example " + name + " is not a seed: " + why));
        if (loaded.seeds().isEmpty()) {
            System.out.println("no seeds: nothing to fuzz");
            System.exit(2);
        }
        System.out.println("seeds: " + loaded.seeds().stream().map(Seed::name).collect(Collectors.joining(", ")));
        Set<Mutator.Kind> skip = Mutator.kinds(System.getProperty("ring0.fuzz.skip"));
        Fuzzer f = new Fuzzer(loaded.seeds(), Gate.CHECKER, new Fuzzer.Config(seed, threads, timeout, true, 500, 60_000, out, skip));
        try {
            String replay = System.getProperty("ring0.fuzz.replay");
            if (replay != null) {
                replay(f, Long.parseLong(replay));
                return;
            }
            System.out.printf("mutation campaign: seed %d, %,d mutants, %d threads, native timeout %d ms, findings to %s%s%n",
                    seed, count, threads, timeout, out, skip.isEmpty() ? "" : ", skipping " + skip);
            long t0 = System.nanoTime();
            for (long from = 0; from < count; from += CHUNK) {
                boolean go = f.run(from, Math.min(count, from + CHUNK), System.out);
                FuzzStats s = f.stats;
                System.out.printf("%,12d mutants  accepted %,9d  distinct run %,8d  crashes %d  checker failures %d  findings %d  %.0f s%n",
                        s.mutants.sum(), s.accepted.sum(), s.ran.sum(), s.crashed.sum(), s.broken.sum(), f.findings.size(),
                        (System.nanoTime() - t0) / 1e9);
                if (!go) break;
            }
            System.out.printf("%nwall time %.1f s%n%s", (System.nanoTime() - t0) / 1e9, f.stats.summary());
            System.out.println(f.findings.isEmpty() ? "\nno findings" : "\n" + Finding.report(f.findings));
        } finally {
            f.cleanUp();
        }
        System.exit(f.findings.isEmpty() ? 0 : 1);
    }

    private static void replay(Fuzzer f, long index) throws Exception {
        Mutator.Mutant m = f.mutant(index);
        System.out.println("mutant " + index + " of seed program " + m.seed().name() + ": " + m.description());
        System.out.println("checker: " + Gate.CHECKER.judge(m.elf(), m.seed().name()));
        Path saved = Path.of(System.getProperty("ring0.fuzz.out", "/tmp/ring0-mutfuzz"))
                .resolve("replay-" + m.seed().name() + "-" + f.config().seed() + "-" + index + ".elf");
        Files.createDirectories(saved.getParent());
        Files.write(saved, m.elf());
        System.out.println("saved as " + saved + " (run it with the seed's arguments: " + m.seed().args() + ")");
        f.run(index, index + 1, System.out);
        System.out.println(f.stats.summary().lines().limit(3).collect(Collectors.joining("\n")));
        System.out.println("native outcome: " + f.stats.outcomes());
        f.findings.forEach(x -> System.out.println("\n" + x));
    }
}
