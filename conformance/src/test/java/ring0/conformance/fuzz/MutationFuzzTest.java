package ring0.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the trusted checker, CI-sized: {@code ring0.fuzz.count}
 * mutants of the verified examples (seeded, the seed printed; set
 * {@code -Dring0.fuzz.seed=N} to repeat a run). The checker must answer every
 * mutant with a verdict and nothing else, and every distinct mutant it accepts
 * is run natively on Linux and must not die of SIGSEGV, SIGBUS, SIGILL or
 * SIGFPE. A self-test shows the native half would catch a broken checker.
 *
 * <p>Properties: {@code ring0.fuzz.count} (mutants, default 100,000),
 * {@code ring0.fuzz.seed} (default random), {@code ring0.fuzz.timeoutMs} (per
 * native run, default 1000; a mutant may loop), {@code ring0.fuzz.skip} (kinds
 * of edit to leave out, see {@link Mutator.Kind}). Findings are saved under the
 * module's build directory, in {@code mutfuzz/}; a finding fails the test with
 * the seed, the mutant's index, the mutation and the checker's verdict. The
 * long campaign is {@link MutationCampaign}.
 *
 * <p>Run: {@code mvn -q -Dring0.builddir=/tmp/build-mutfuzz -pl conformance -am test
 * -Dtest=MutationFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
class MutationFuzzTest {
    private static List<Seed> seeds;

    @BeforeAll
    static void loadSeeds() throws Exception {
        Seeds.Loaded loaded = Seeds.load();
        loaded.skipped().forEach((name, why) -> System.out.println("mutation fuzzing: example " + name + " is not a seed: " + why));
        seeds = loaded.seeds();
        assumeTrue(!seeds.isEmpty(), "no example assembles to a verified typed program yet: " + loaded.skipped());
        System.out.println("mutation fuzzing: seeds " + seeds.stream().map(Seed::name).collect(Collectors.joining(", ")));
    }

    /**
     * The seeds themselves run to their normal exit status on both gates, so
     * the harness's runs mean something (a sandbox that could not start the
     * program would give 126 or 127).
     */
    @Test
    void seedsRunToAnExit() throws Exception {
        Path dir = Files.createTempDirectory("ring0-mutfuzz-seeds");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Sandbox box = new Sandbox(dir, "seeds")) {
            for (Seed s : seeds) {
                for (boolean int80 : new boolean[] {false, true}) {
                    NativeRunner.Outcome o = box.run(s.elf(), s.args(), int80, 10_000);
                    assertThat(o).as("%s %s (int80 %s); stderr: %s", s.name(), s.args(), int80, box.lastStderr())
                            .isEqualTo(new NativeRunner.Outcome.Exited(Seeds.expectedExit(s)));
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void checkerSurvivesMutantsAndWhatItAcceptsRunsSafely() throws Exception {
        long seed = Long.getLong("ring0.fuzz.seed", new SplittableRandom().nextLong());
        int count = Integer.getInteger("ring0.fuzz.count", 100_000);
        long timeout = Long.getLong("ring0.fuzz.timeoutMs", 1_000);
        Set<Mutator.Kind> skip = Mutator.kinds(System.getProperty("ring0.fuzz.skip"));
        System.out.printf("mutation fuzzing: seed %d, %,d mutants (-Dring0.fuzz.seed=%d repeats this run)%n", seed, count, seed);
        Fuzzer f = new Fuzzer(seeds, Gate.CHECKER, new Fuzzer.Config(seed, threads(), timeout, true, 20, 30_000, buildDir().resolve("mutfuzz"), skip));
        long t0 = System.nanoTime();
        try {
            f.run(0, count, System.out);
        } finally {
            f.cleanUp();
        }
        FuzzStats st = f.stats;
        System.out.printf("mutation fuzzing: wall time %.1f s%n%s", (System.nanoTime() - t0) / 1e9, st.summary());

        if (!f.findings.isEmpty()) {
            fail("the run with seed %d has findings (repeat it with -Dring0.fuzz.seed=%d): %s", seed, seed, Finding.report(f.findings));
        }
        long n = st.mutants.sum();
        assertThat(n).isEqualTo(count);
        // Not vacuous: mutations are mostly caught, some survive, and every survivor ran.
        assertThat(st.rejected.sum()).as("rejected mutants").isGreaterThan(n / 2);
        assertThat(st.accepted.sum()).as("accepted mutants").isGreaterThan(n / 200);
        assertThat(st.distinct.sum()).as("distinct accepted mutants").isGreaterThan(0);
        assertThat(st.ran.sum()).as("native runs").isEqualTo(st.distinct.sum());
    }

    /**
     * The harness is not vacuous: with a "checker" that accepts everything, a
     * handful of mutants is enough for a native crash, which is reported with
     * the mutant saved; and the real checker rejects that mutant.
     */
    @Test
    void aBrokenCheckerIsCaught() throws Exception {
        Path out = buildDir().resolve("mutfuzz-selftest");
        Set<Mutator.Kind> codeOnly = EnumSet.complementOf(EnumSet.of(Mutator.Kind.CODE_BYTES, Mutator.Kind.CODE_INSTRUCTIONS, Mutator.Kind.INSN_REWRITE));
        Fuzzer f = new Fuzzer(seeds, Gate.ACCEPT_ALL, new Fuzzer.Config(1, threads(), 2_000, true, 1, 30_000, out, codeOnly));
        try {
            f.run(0, 400, System.out);
        } finally {
            f.cleanUp();
        }
        System.out.println("mutation fuzzing self-test (accept-all gate): " + f.stats.summary().lines().limit(4).collect(Collectors.joining("\n")));
        assertThat(f.findings).as("findings with an accept-all checker").isNotEmpty();
        for (Finding crash : f.findings) {
            assertThat(crash.kind()).isEqualTo(Finding.Kind.NATIVE_CRASH);
            assertThat(crash.outcome()).contains("killed by SIG");
            assertThat(crash.mutation()).isNotBlank();
            assertThat(crash.saved()).isNotNull();
            assertThat(crash.saved()).exists();
            assertThat(crash.saved().resolveSibling(crash.saved().getFileName().toString().replace(".elf", ".txt"))).exists();
            Gate.Verdict real = Gate.CHECKER.judge(Files.readAllBytes(crash.saved()), crash.seedName());
            assertThat(real).as("the real checker on the crashing mutant %s", crash).isInstanceOf(Gate.Verdict.Rejected.class);
        }
    }

    static int threads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** The module's build directory ({@code target/}, or {@code ring0.builddir}'s), from where the test classes are. */
    static Path buildDir() throws URISyntaxException {
        return Path.of(MutationFuzzTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }
}
