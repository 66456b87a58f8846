package ring0.conformance.fuzz;

/**
 * Blind byte edits inside one file range: bit flips, interesting byte and word
 * values, small random runs, small arithmetic, and copies within the range.
 * Descriptions name the range ({@code where}) and the file offset.
 */
final class ByteEdits {
    private ByteEdits() {}

    /**
     * Bytes worth trying in x86 code and in binary records: zero and all ones,
     * sign boundaries, opcode escapes and prefixes (0x0f, REX 0x40-0x4f,
     * operand/address size, segment, lock, rep), the syscall and int bytes,
     * nop, ret, call, jmp, ud2's second byte, int3, VEX/EVEX escapes, common
     * ModRM values (rip-relative 0x05, SIB 0x04/0x24), and mov/lea opcodes.
     */
    static final int[] INTERESTING_BYTES = {
        0x00, 0xff, 0x7f, 0x80, 0x01, 0x08, 0x10, 0x0f, 0x05, 0xcd, 0x90, 0xc3, 0xe8, 0xe9, 0xeb, 0x48, 0x49,
        0x4c, 0x4d, 0x40, 0x41, 0x66, 0x67, 0x64, 0x65, 0x2e, 0x3e, 0x26, 0x36, 0xf0, 0xf2, 0xf3, 0x0b, 0xcc,
        0xc4, 0xc5, 0x62, 0x8f, 0x04, 0x24, 0x25, 0x89, 0x8b, 0x8d, 0xc7, 0xff, 0x34, 0x14, 0x1c, 0xe4, 0xec,
    };

    /** 32-bit values worth trying in displacements, immediates, offsets, lengths and counts. */
    static final long[] INTERESTING_WORDS = {
        0, 1, 2, 7, 8, 9, 15, 16, 17, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1008, 0x7fff, 0x8000, 0xffff,
        0x10000, 0x7fffffff, 0x80000000L, 0xfffffff8L, 0xfffffffcL, 0xffffffffL, 0xfffffff0L, 0xffffff80L,
    };

    /** One edit of the bytes {@code [start, start + length)} of the draft's file. */
    static void any(Draft d, ElfMap.Range r, String where) {
        if (r == null || r.length() == 0) return;
        byte[] b = d.elf();
        int at = d.in(r);
        switch (d.below(8)) {
            case 0, 1 -> {
                int bit = d.below(8);
                b[at] ^= (byte) (1 << bit);
                d.step(loc(where, r, at) + " bit " + bit + " flipped");
            }
            case 2 -> {
                int v = d.pick(INTERESTING_BYTES);
                b[at] = (byte) v;
                d.step(loc(where, r, at) + " := 0x" + Integer.toHexString(v));
            }
            case 3 -> {
                int v = d.below(256);
                b[at] = (byte) v;
                d.step(loc(where, r, at) + " := random 0x" + Integer.toHexString(v));
            }
            case 4 -> {
                int delta = (d.below(16) + 1) * (d.chance(50) ? 1 : -1);
                b[at] = (byte) (b[at] + delta);
                d.step(loc(where, r, at) + " += " + delta);
            }
            case 5 -> {
                int n = Math.min(2 + d.below(7), r.end() - at);
                boolean same = d.chance(50);
                int v = d.pick(INTERESTING_BYTES);
                for (int i = 0; i < n; i++) b[at + i] = (byte) (same ? v : d.below(256));
                d.step(loc(where, r, at) + " := " + n + (same ? " x 0x" + Integer.toHexString(v) : " random bytes"));
            }
            case 6 -> {
                if (r.end() - at < 4) {
                    b[at] = (byte) ~b[at];
                    d.step(loc(where, r, at) + " inverted");
                    return;
                }
                long v = d.pick(INTERESTING_WORDS);
                if (d.chance(30)) v = -v;
                for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> 8 * i);
                d.step(loc(where, r, at) + " u32 := 0x" + Long.toHexString(v & 0xffffffffL));
            }
            default -> copy(d, r, where, r, where);
        }
    }

    /** Copies 1 to 16 bytes from a random place of {@code from} over a random place of {@code to}. */
    static void copy(Draft d, ElfMap.Range from, String fromName, ElfMap.Range to, String where) {
        byte[] b = d.elf();
        int n = 1 + d.below(16);
        n = Math.min(n, Math.min(from.length(), to.length()));
        int src = from.start() + d.below(from.length() - n + 1), dst = to.start() + d.below(to.length() - n + 1);
        System.arraycopy(b.clone(), src, b, dst, n);
        d.step("copy " + n + " bytes " + loc(fromName, from, src) + " -> " + loc(where, to, dst));
    }

    /** Writes {@code v} little-endian in {@code n} bytes at {@code at}. */
    static void put(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) b[at + i] = (byte) (v >>> 8 * i);
    }

    /** Reads {@code n} bytes little-endian at {@code at}, sign-extended. */
    static long get(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xff);
        int shift = 64 - 8 * n;
        return v << shift >> shift;
    }

    static String hex(long v) { return "0x" + Long.toHexString(v); }

    /** {@code where+0xN}: a place given relative to the start of its range. */
    static String loc(String where, ElfMap.Range r, int at) { return where + "+" + hex(at - r.start()); }
}
