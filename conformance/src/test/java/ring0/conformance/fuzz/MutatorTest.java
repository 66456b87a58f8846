package ring0.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mutator does what the fuzzer relies on: mutants are reproducible from
 * the campaign seed and index, every kind of edit changes something, the stub
 * is never touched, and the annotation model reads and writes sections
 * byte-exactly.
 */
class MutatorTest {
    private static List<Seed> seeds;

    @BeforeAll
    static void loadSeeds() throws Exception {
        seeds = Seeds.load().seeds();
        assumeTrue(!seeds.isEmpty(), "no example assembles to a verified typed program yet");
    }

    @Test
    void annotationModelRoundTrips() {
        for (Seed s : seeds) {
            assertThat(s.types().write()).as(s.name()).isEqualTo(s.program().types());
            assertThat(s.rebuild(s.types())).as(s.name()).isEqualTo(s.elf());
        }
    }

    @Test
    void mutantsAreReproducible() {
        for (long i = 0; i < 300; i++) {
            Mutator.Mutant a = Mutator.mutant(seeds, 42, i, Set.of()), b = Mutator.mutant(seeds, 42, i, Set.of());
            assertThat(a.elf()).as("mutant %d", i).isEqualTo(b.elf());
            assertThat(a.description()).isEqualTo(b.description());
        }
        assertThat(Mutator.mutant(seeds, 42, 7, Set.of()).elf()).isNotEqualTo(Mutator.mutant(seeds, 43, 7, Set.of()).elf());
    }

    /** Each kind alone changes the file in most mutants, and describes what it did. */
    @Test
    void everyKindOfEditChangesSomething() {
        for (Mutator.Kind k : Mutator.Kind.values()) {
            Set<Mutator.Kind> others = EnumSet.complementOf(EnumSet.of(k));
            int changed = 0;
            for (long i = 0; i < 200; i++) {
                Mutator.Mutant m = Mutator.mutant(seeds, 5, i, others);
                assertThat(m.kinds()).containsOnly(k);
                if (!Arrays.equals(m.elf(), m.seed().elf())) {
                    changed++;
                    assertThat(m.description()).as("%s mutant %d", k, i).isNotBlank();
                }
            }
            assertThat(changed).as("mutants of kind %s that differ from their seed", k).isGreaterThan(140);
        }
    }

    /**
     * Stacked edits never trip over each other (an exception here is a bug of
     * the harness), and the byte edits never touch the stub nor its program
     * header: they are the same in every mutant as in the file the edits
     * started from (the seed, or the writer's rebuild after a structural edit,
     * whose stub is the writer's).
     */
    @Test
    void editsWorkTogetherAndNeverTouchTheStub() {
        int rebuilt = 0;
        for (long i = 0; i < 10_000; i++) {
            Mutator.Mutant m = Mutator.mutant(seeds, 9, i, Set.of());
            if (m.base() != m.seed().elf()) rebuilt++;
            ElfMap map = ElfMap.of(m.base());
            ElfMap.Range stub = map.section(".ring0.stub");
            assertThat(Arrays.copyOfRange(m.elf(), stub.start(), stub.end()))
                    .as("stub of mutant %d: %s", i, m.description())
                    .isEqualTo(Arrays.copyOfRange(m.base(), stub.start(), stub.end()));
            int stubHeaders = 0;
            for (ElfMap.Range ph : map.programHeaders()) {
                if (ElfMap.u64(m.base(), ph.start() + 8) != stub.start()) continue;
                stubHeaders++;
                assertThat(Arrays.copyOfRange(m.elf(), ph.start(), ph.end())).as("stub program header of mutant %d", i)
                        .isEqualTo(Arrays.copyOfRange(m.base(), ph.start(), ph.end()));
            }
            assertThat(stubHeaders).isEqualTo(1);
        }
        assertThat(rebuilt).as("mutants rebuilt by the writer").isGreaterThan(1_000);
    }
}
