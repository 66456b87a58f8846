package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;

/**
 * Random byte strings, biased towards plausible instructions: whatever our
 * decoder accepts, objdump must decode to the same length and text. Accepted
 * instructions are concatenated and disassembled in a few big objdump runs,
 * so a wrong length shows up as a broken boundary.
 */
class RandomBytesVsObjdumpTest {

    /** Supported one-byte opcodes (plus 0x0f, twice as likely). */
    private static final int[] OPCODES;
    /** Supported second bytes after 0x0f. */
    private static final int[] OPCODES_0F;
    private static final int[] BAD_PREFIXES = {0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x67};
    /** Instructions per objdump run. */
    private static final int CHUNK = 200_000;

    static {
        List<Integer> one = new ArrayList<>();
        for (int row = 0; row < 0x40; row += 8) for (int k = 0; k < 6; k++) one.add(row + k);
        for (int op = 0x50; op < 0x60; op++) one.add(op);
        for (int op = 0x70; op < 0x80; op++) one.add(op);
        for (int op = 0xB0; op < 0xC0; op++) one.add(op);
        for (int op : new int[] {0x63, 0x68, 0x69, 0x6A, 0x6B, 0x80, 0x81, 0x83, 0x84, 0x85, 0x88, 0x89, 0x8A, 0x8B,
            0x8D, 0x8F, 0x90, 0x99, 0xA8, 0xA9, 0xC0, 0xC1, 0xC3, 0xC6, 0xC7, 0xD0, 0xD1, 0xD2, 0xD3, 0xE8, 0xE9,
            0xEB, 0xF6, 0xF7, 0xFE, 0xFF, 0xFF, 0xF6, 0xF7, 0x0F, 0x0F, 0x0F, 0x0F, 0x0F, 0x0F, 0x0F, 0x0F}) {
            one.add(op);
        }
        OPCODES = one.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> two = new ArrayList<>();
        for (int op = 0x40; op < 0x50; op++) two.add(op);
        for (int op = 0x80; op < 0xA0; op++) two.add(op);
        for (int op : new int[] {0xAF, 0xB6, 0xB7, 0xBE, 0xBF, 0xAF, 0xB6, 0xB7, 0xBE, 0xBF}) two.add(op);
        OPCODES_0F = two.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void acceptedRandomBytesAgreeWithObjdump() throws Exception {
        long seed = Long.getLong("ring0.fuzz.seed", new SplittableRandom().nextLong());
        int count = Integer.getInteger("ring0.fuzz.count", 100_000);
        Result r = run(seed, count);
        System.out.println("RandomBytesVsObjdumpTest: " + r.summary());
        assertThat(r.problems()).as("first problems (seed %d)", seed).isEmpty();
        assertThat(r.accepted()).as("accepted of %d (seed %d)", count, seed).isGreaterThan(count / 5);
        assertThat(r.compared()).isEqualTo(r.accepted());
    }

    @Test
    void knownHostileBytesAreRejected() {
        String[] hostile = {
            "0f 05", "0f 34", "cd 80", "cc", "f4", "fa", "fb", "e4 60", "ee", "0f 30", "0f 32", "0f 01 d8",
            "8e d8", "ff 18", "ff 28", "cf", "64 48 8b 04 25 28 00 00 00", "65 48 8b 00", "f0 48 01 08",
            "f3 a4", "67 8b 00", "88 e0", "41 90", "66 48 01 c0", "48 8b 04 25 00 00 00 00", "0f a2", "0f 0b",
        };
        for (String h : hostile) {
            byte[] b = parseHex(h);
            assertThatThrownBy(() -> Decoder.decode(b, 0, b.length)).as(h).isInstanceOf(DecodeException.class);
        }
    }

    /**
     * The outcome of a campaign.
     *
     * @param seed     the seed of the random byte strings
     * @param tried    byte strings decoded
     * @param accepted how many our decoder accepted
     * @param compared how many of those objdump printed identically
     * @param reasons  how often each rejection reason occurred
     * @param problems the first disagreements with objdump
     */
    record Result(long seed, int tried, int accepted, int compared, Map<String, Integer> reasons, List<String> problems) {
        String summary() {
            return String.format("seed %d: %d byte strings, %d accepted (%.1f%%), %d agreed with objdump, %d problems",
                    seed, tried, accepted, 100.0 * accepted / tried, compared, problems.size());
        }
    }

    /** Decodes {@code count} biased random byte strings and compares what we accept with objdump. */
    static Result run(long seed, int count) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[15];
        Map<String, Integer> reasons = new HashMap<>();
        List<String> problems = new ArrayList<>();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        List<Decoded> decoded = new ArrayList<>();
        int accepted = 0;
        int compared = 0;
        for (int i = 0; i < count; i++) {
            fill(rnd, buf);
            try {
                Decoded d = Decoder.decode(buf, 0, buf.length);
                accepted++;
                offsets.add(code.size());
                decoded.add(d);
                code.write(buf, 0, d.length());
            } catch (DecodeException e) {
                reasons.merge(reasonKind(e.reason()), 1, Integer::sum);
            }
            if (decoded.size() == CHUNK || i == count - 1) {
                compared += DecoderVsObjdumpTest.compare(code.toByteArray(), offsets, decoded, problems);
                code.reset();
                offsets.clear();
                decoded.clear();
            }
        }
        return new Result(seed, count, accepted, compared, reasons, problems);
    }

    /** A reason with opcode and register details stripped, for the histogram. */
    private static String reasonKind(String reason) {
        if (reason.startsWith("unsupported opcode")) return "unsupported opcode";
        if (reason.startsWith("high-byte register")) return "high-byte register";
        int on = reason.indexOf(" on ");
        return on > 0 ? reason.substring(0, on) : reason;
    }

    /** 15 random bytes; usually prefixes and an opcode from the supported set first. */
    static void fill(SplittableRandom rnd, byte[] buf) {
        for (int i = 0; i < buf.length; i++) buf[i] = (byte) rnd.nextInt(256);
        if (rnd.nextInt(10) == 0) return;
        int p = 0;
        if (rnd.nextInt(32) == 0) buf[p++] = (byte) BAD_PREFIXES[rnd.nextInt(BAD_PREFIXES.length)];
        if (rnd.nextInt(4) == 0) buf[p++] = 0x66;
        if (rnd.nextInt(2) == 0) buf[p++] = (byte) (0x40 + rnd.nextInt(16));
        int op = rnd.nextInt(8) == 0 ? rnd.nextInt(256) : OPCODES[rnd.nextInt(OPCODES.length)];
        buf[p++] = (byte) op;
        if (op == 0x0F) buf[p++] = (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : OPCODES_0F[rnd.nextInt(OPCODES_0F.length)]);
        if (rnd.nextInt(3) == 0) buf[p] = (byte) (0xC0 | rnd.nextInt(64));
    }

    static byte[] parseHex(String hex) {
        String[] parts = hex.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(parts[i], 16);
        return b;
    }
}
