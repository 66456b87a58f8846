package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Mutated examples that the checker still accepts run in kernel mode without
 * harming the kernel (docs/kernel.md): in a child JVM, which must neither
 * crash nor report a kernel error. The seed is printed, so a failure can be
 * replayed with {@code Mutants SEED COUNT}.
 */
class MutantTest {
    @Test
    void acceptedMutantsCannotHurtTheKernel() throws Exception {
        long seed = System.nanoTime();
        int count = Integer.getInteger("ring0.mutants", 3000);
        ChildJvm.Result r = ChildJvm.run(Mutants.class, 600, Long.toString(seed), Integer.toString(count));
        System.out.println("mutants (seed " + seed + "): " + r.out().replace('\n', ' '));
        assertThat(r.exitCode()).as("seed %d: %s", seed, r).isZero();
        assertThat(r.out()).as("seed %d", seed).contains("DONE").doesNotContain("KERNEL_ERROR");
        String[] totals = r.out().lines().filter(l -> l.matches("\\d+ \\d+")).findFirst().orElseThrow().split(" ");
        assertThat(Integer.parseInt(totals[1])).as("some mutants are accepted, or the test tests nothing").isPositive();
    }
}
