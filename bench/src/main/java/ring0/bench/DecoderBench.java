package ring0.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Syntax;

/**
 * Throughput of the trusted decoder on realistic code (see {@link Corpus}).
 * One operation is one byte of code, so the score in ops/s is bytes/s
 * (divide by 10^6 for MB/s).
 *
 * <p>Run from the repository root, on JDK 25:
 * <pre>
 * mvn -q -DskipTests -pl bench -am package
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "bench/target/classes:bench/target/lib/*" \
 *     org.openjdk.jmh.Main DecoderBench -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBench {

    private byte[] code;

    /** Assembles and checks the corpus once per fork. */
    @Setup
    public void setup() {
        Corpus corpus = Corpus.build(Corpus.findExamples());
        System.out.println("corpus: " + corpus.code().length + " bytes from " + corpus.included());
        for (String s : corpus.skipped()) System.out.println("corpus: skipped, does not assemble: " + s);
        code = corpus.code();
    }

    /** Decodes every instruction of the corpus. */
    @Benchmark
    @OperationsPerInvocation(Corpus.SIZE)
    public void decode(Blackhole bh) throws DecodeException {
        byte[] c = code;
        int off = 0;
        while (off < c.length) {
            Decoded d = Decoder.decode(c, off, c.length);
            bh.consume(d.insn());
            off += d.length();
        }
    }

    /** Decodes and prints every instruction, as {@code ring0 disasm} does. */
    @Benchmark
    @OperationsPerInvocation(Corpus.SIZE)
    public void decodeAndFormat(Blackhole bh) throws DecodeException {
        byte[] c = code;
        int off = 0;
        while (off < c.length) {
            Decoded d = Decoder.decode(c, off, c.length);
            bh.consume(Syntax.format(d.insn(), 0x401000L + off, d.length()));
            off += d.length();
        }
    }
}
