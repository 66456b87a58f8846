package ring0.isa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Quick in-JVM fuzzing: on any input the decoder either returns a consistent
 * instruction or throws a {@link DecodeException} with an expected kind of reason.
 */
class DecoderFuzzTest {
    private static final int[] FIRST = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x29, 0x31, 0x39, 0x3b, 0x63, 0x68, 0x69, 0x6a, 0x6b,
        0x74, 0x80, 0x81, 0x83, 0x84, 0x85, 0x88, 0x89, 0x8a, 0x8b, 0x8d, 0x8f, 0x90, 0x99, 0xa8, 0xa9,
        0xb0, 0xb4, 0xb8, 0xbf, 0xc0, 0xc1, 0xc3, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3, 0xe8, 0xe9, 0xeb,
        0xf6, 0xf7, 0xfe, 0xff, 0x0f, 0x0f, 0x0f, 0x0f};
    private static final int[] SECOND = {0x44, 0x4f, 0x84, 0x8f, 0x94, 0x9f, 0xaf, 0xb6, 0xb7, 0xbe, 0xbf};

    @Test
    void neverThrowsAnythingElseAndAcceptedInstructionsAreConsistent() {
        long seed = new SplittableRandom().nextLong();
        System.out.println("DecoderFuzzTest seed " + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = Math.max(200_000, Integer.getInteger("ring0.fuzz.count", 100_000));
        byte[] buf = new byte[16];
        int accepted = 0;
        for (int i = 0; i < n; i++) {
            fill(rnd, buf);
            int limit = 1 + rnd.nextInt(buf.length);
            try {
                Decoded d = Decoder.decode(buf, 0, limit);
                accepted++;
                checkAccepted(buf, d, seed);
            } catch (DecodeException e) {
                assertThat(e.offset()).isZero();
                if (e.reason().startsWith("internal")) fail("%s on %s (seed %d)", e.reason(), Hex.string(buf, 0, limit), seed);
            } catch (RuntimeException e) {
                throw new AssertionError("on " + Hex.string(buf, 0, limit) + " (seed " + seed + ")", e);
            }
        }
        assertThat(accepted).as("accepted of %d", n).isGreaterThan(n / 10);
    }

    private static void checkAccepted(byte[] buf, Decoded d, long seed) throws DecodeException {
        if (d.length() < 1 || d.length() > 15) fail("length %d of %s", d.length(), where(buf, d, seed));
        if (!Decoder.decode(buf, 0, d.length()).equals(d)) fail("depends on bytes after %s", where(buf, d, seed));
        try {
            Decoder.decode(buf, 0, d.length() - 1);
            fail("accepted a truncation of %s", where(buf, d, seed));
        } catch (DecodeException e) {
            if (!e.reason().equals("truncated instruction")) fail("%s for a truncation of %s", e.reason(), where(buf, d, seed));
        }
        if (Syntax.format(d.insn()).isBlank() || Syntax.format(d.insn(), 0x401000, d.length()).isBlank()) {
            fail("blank text for %s", where(buf, d, seed));
        }
    }

    private static String where(byte[] buf, Decoded d, long seed) {
        return Hex.string(buf, 0, d.length()) + " (seed " + seed + ")";
    }

    /** Random bytes, mostly starting with plausible prefixes and opcodes. */
    private static void fill(SplittableRandom rnd, byte[] buf) {
        for (int i = 0; i < buf.length; i++) buf[i] = (byte) rnd.nextInt(256);
        if (rnd.nextInt(8) == 0) return;
        int p = 0;
        if (rnd.nextInt(4) == 0) buf[p++] = 0x66;
        if (rnd.nextInt(2) == 0) buf[p++] = (byte) (0x40 + rnd.nextInt(16));
        int op = FIRST[rnd.nextInt(FIRST.length)];
        buf[p++] = (byte) op;
        if (op == 0x0f) buf[p] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : SECOND[rnd.nextInt(SECOND.length)]);
    }
}
