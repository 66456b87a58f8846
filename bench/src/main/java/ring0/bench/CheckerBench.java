package ring0.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import ring0.verify.Checker;
import ring0.verify.IllTyped;
import ring0.verify.Verified;

/**
 * Throughput of the trusted checker, in instructions checked per second, on a
 * typed program of more than 100k instructions ({@link TypedCorpus}). The
 * whole load-time path is measured: ELF reading, types-section parsing,
 * decoding and checking. JMH reports checks per second; the instruction rate
 * is that times {@link #instructions}, which setup prints.
 *
 * <p>Run from the repository root, on JDK 25:
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -DskipTests -pl bench -am package
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "bench/target/classes:bench/target/lib/*" \
 *     org.openjdk.jmh.Main CheckerBench -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckerBench {

    /** Copies of sum.tal's functions; 1200 gives about 100k+ instructions. */
    @Param("1200")
    public int copies;

    /**
     * False: copies share their precondition texts (as labels of real programs
     * often do). True: every copy has its own type variable names, so every
     * function's precondition text is different (see {@link TypedCorpus}).
     */
    @Param({"false", "true"})
    public boolean distinctTypes;

    byte[] elf;
    /** Instructions in the program, as the checker counts them. */
    public int instructions;

    @Setup(Level.Trial)
    public void setup() throws IllTyped {
        elf = TypedCorpus.elf(Path.of("examples/sum.tal"), copies, distinctTypes);
        Verified v = Checker.check(elf, "typed-corpus");
        instructions = v.instructions();
        System.out.printf("%n[CheckerBench] %d instructions, %d labels, %d bytes of ELF; "
                + "instructions/s = score x %d%n", instructions, v.labelCount(), elf.length, instructions);
    }

    /** One full check of the program. */
    @Benchmark
    public Verified check() throws IllTyped {
        return Checker.check(elf, "typed-corpus");
    }
}
