package ring0.conformance;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ring0.asm.Encoder;
import ring0.isa.DecodeException;
import ring0.isa.Decoder;

/**
 * A long differential campaign for the strict decoder against objdump: the
 * random-bytes comparison of {@link RandomBytesVsObjdumpTest} and the
 * valid-instruction comparison of {@link DecoderVsObjdumpTest}, each over
 * {@code ring0.fuzz.count} cases in chunks, then a rough decoding-throughput
 * figure. Exits with status 1 if anything disagrees.
 *
 * <p>Run it from the repository root: the first command compiles and writes the
 * test class path, the second runs about 10 minutes for ten million cases each.
 * <pre>
 * mvn -q -Dring0.builddir=/tmp/build-dec -pl trusted,asm,conformance -am test-compile \
 *     dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/build-dec/cp.txt
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Dring0.fuzz.count=10000000 \
 *     -cp /tmp/build-dec/ring0-conformance/test-classes:$(cat /tmp/build-dec/cp.txt) \
 *     ring0.conformance.DecoderCampaign
 * </pre>
 * Add {@code -Dring0.fuzz.seed=N} to repeat a run.
 */
public final class DecoderCampaign {
    private static final int CHUNK = 200_000;

    private DecoderCampaign() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("ring0.fuzz.count", 10_000_000);
        long seed = Long.getLong("ring0.fuzz.seed", new SplittableRandom().nextLong());
        System.out.printf("decoder campaign: %,d cases each, seed %d%n", count, seed);
        boolean ok = randomBytes(seed, count) & validInstructions(seed, count);
        throughput(seed);
        System.exit(ok ? 0 : 1);
    }

    private static boolean randomBytes(long seed, int count) throws Exception {
        long t0 = System.nanoTime();
        RandomBytesVsObjdumpTest.Result r = RandomBytesVsObjdumpTest.run(seed, count);
        System.out.printf("random bytes: %s in %.1f s%n", r.summary(), (System.nanoTime() - t0) / 1e9);
        r.reasons().entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(15)
            .forEach(e -> System.out.printf("  %,10d  %s%n", e.getValue(), e.getKey()));
        r.problems().forEach(p -> System.out.println("  PROBLEM " + p));
        return r.problems().isEmpty() && r.compared() == r.accepted();
    }

    private static boolean validInstructions(long seed, int count) throws Exception {
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        long compared = 0;
        for (int done = 0, chunk = 0; done < count; done += CHUNK, chunk++) {
            int n = Math.min(CHUNK, count - done);
            DecoderVsObjdumpTest.Result r = DecoderVsObjdumpTest.run(seed + chunk, n);
            compared += r.compared();
            for (String p : r.problems()) DecoderVsObjdumpTest.note(problems, p);
        }
        System.out.printf("valid instructions: %,d generated, %,d agreed with objdump, %d problems, in %.1f s%n",
                count, compared, problems.size(), (System.nanoTime() - t0) / 1e9);
        problems.forEach(p -> System.out.println("  PROBLEM " + p));
        return problems.isEmpty() && compared == count;
    }

    /**
     * Decodes a buffer of random valid instructions repeatedly and prints MB/s of the
     * best round, by wall-clock time and by this thread's CPU time (which a busy
     * machine disturbs less).
     */
    private static void throughput(long seed) throws DecodeException {
        DecoderVsObjdumpTest.Gen gen = new DecoderVsObjdumpTest.Gen(new SplittableRandom(seed));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < 4 << 20) Encoder.encode(gen.insn(), out);
        byte[] code = out.toByteArray();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long bestWall = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        long sink = 0;
        int insns = 0;
        for (int round = 0; round < 30; round++) {
            long t0 = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            insns = 0;
            for (int at = 0; at < code.length; insns++) {
                int len = Decoder.decode(code, at, code.length).length();
                sink += len;
                at += len;
            }
            bestCpu = Math.min(bestCpu, cpu.getCurrentThreadCpuTime() - c0);
            bestWall = Math.min(bestWall, System.nanoTime() - t0);
        }
        System.out.printf("throughput: %.0f MB/s wall, %.0f MB/s cpu (%,d bytes, %,d instructions, avg %.2f bytes; %d)%n",
                code.length * 1e3 / bestWall, code.length * 1e3 / bestCpu, code.length, insns,
                (double) code.length / insns, sink % 7);
    }
}
