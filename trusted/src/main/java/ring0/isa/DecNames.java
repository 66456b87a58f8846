package ring0.isa;

/**
 * Reasons for rejecting the bytes that the {@link Decoder} does not accept,
 * naming the instruction where that is easy. Only used on the error path.
 */
final class DecNames {
    private DecNames() {}

    /** The reason to reject prefix byte {@code b} where an opcode was expected. */
    static String prefix(int b, boolean afterRex) {
        return switch (b) {
            case 0xF0 -> "lock prefix is not allowed";
            case 0xF2 -> "repne prefix 0xf2 is not allowed";
            case 0xF3 -> "rep prefix 0xf3 is not allowed";
            case 0x26 -> "prefix 0x26 (es:) is not allowed";
            case 0x2E -> "prefix 0x2e (cs:) is not allowed";
            case 0x36 -> "prefix 0x36 (ss:) is not allowed";
            case 0x3E -> "prefix 0x3e (ds:) is not allowed";
            case 0x64 -> "prefix 0x64 (fs:) is not allowed";
            case 0x65 -> "prefix 0x65 (gs:) is not allowed";
            case 0x67 -> "prefix 0x67 (address size) is not allowed";
            case 0x66 -> afterRex ? "REX prefix must immediately precede the opcode" : "repeated prefix 0x66";
            default -> "REX prefix must immediately precede the opcode";
        };
    }

    /** The reason to reject one-byte opcode {@code op}. */
    static String oneByte(int op) {
        String what = switch (op) {
            case 0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37, 0x3F,
                 0x60, 0x61, 0x82, 0xD4, 0xD5, 0xD6 -> null;
            case 0x62 -> "EVEX prefix";
            case 0xC4, 0xC5 -> "VEX prefix";
            case 0x6C, 0x6D -> "ins";
            case 0x6E, 0x6F -> "outs";
            case 0x86, 0x87, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97 -> "xchg";
            case 0x8C -> "mov from a segment register";
            case 0x8E -> "mov to a segment register";
            case 0x98 -> "cwde/cdqe";
            case 0x9A -> "far call";
            case 0x9B -> "fwait";
            case 0x9C -> "pushf";
            case 0x9D -> "popf";
            case 0x9E -> "sahf";
            case 0x9F -> "lahf";
            case 0xA0, 0xA1, 0xA2, 0xA3 -> "mov with an absolute address";
            case 0xA4, 0xA5 -> "movs";
            case 0xA6, 0xA7 -> "cmps";
            case 0xAA, 0xAB -> "stos";
            case 0xAC, 0xAD -> "lods";
            case 0xAE, 0xAF -> "scas";
            case 0xC2 -> "ret imm16";
            case 0xC8 -> "enter";
            case 0xC9 -> "leave";
            case 0xCA, 0xCB -> "far ret";
            case 0xCC -> "int3";
            case 0xCD -> "int";
            case 0xCE -> "into";
            case 0xCF -> "iret";
            case 0xD7 -> "xlat";
            case 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF -> "x87 instruction";
            case 0xE0, 0xE1, 0xE2 -> "loop";
            case 0xE3 -> "jrcxz";
            case 0xE4, 0xE5, 0xEC, 0xED -> "in";
            case 0xE6, 0xE7, 0xEE, 0xEF -> "out";
            case 0xEA -> "far jmp";
            case 0xF1 -> "int1";
            case 0xF4 -> "hlt";
            case 0xF5 -> "cmc";
            case 0xF8 -> "clc";
            case 0xF9 -> "stc";
            case 0xFA -> "cli";
            case 0xFB -> "sti";
            case 0xFC -> "cld";
            case 0xFD -> "std";
            default -> "";
        };
        if (what == null) return String.format("opcode 0x%02x is invalid in 64-bit mode", op);
        if (what.isEmpty()) return String.format("unsupported opcode 0x%02x", op);
        return what + " is not allowed";
    }

    /** The reason to reject two-byte opcode {@code 0x0f op}. */
    static String twoByte(int op) {
        String what = switch (op) {
            case 0x00, 0x01 -> String.format("system instruction group 0x0f 0x%02x", op);
            case 0x05 -> "syscall";
            case 0x06 -> "clts";
            case 0x07 -> "sysret";
            case 0x08 -> "invd";
            case 0x09 -> "wbinvd";
            case 0x0B -> "ud2";
            case 0x1F -> "multi-byte nop";
            case 0x20, 0x22 -> "mov to/from a control register";
            case 0x21, 0x23 -> "mov to/from a debug register";
            case 0x30 -> "wrmsr";
            case 0x31 -> "rdtsc";
            case 0x32 -> "rdmsr";
            case 0x33 -> "rdpmc";
            case 0x34 -> "sysenter";
            case 0x35 -> "sysexit";
            case 0xA0, 0xA8 -> "push of a segment register";
            case 0xA1, 0xA9 -> "pop of a segment register";
            case 0xAA -> "rsm";
            default -> null;
        };
        if (what == null) return String.format("unsupported opcode 0x0f 0x%02x", op);
        return what + " is not allowed";
    }

    /** The reason to reject ModRM opcode extension {@code /digit} of opcode {@code op}. */
    static String group(int op, int digit) {
        String what = switch (op << 4 | digit) {
            case 0xC00, 0xC10, 0xD00, 0xD10, 0xD20, 0xD30 -> "rol";
            case 0xC01, 0xC11, 0xD01, 0xD11, 0xD21, 0xD31 -> "ror";
            case 0xC02, 0xC12, 0xD02, 0xD12, 0xD22, 0xD32 -> "rcl";
            case 0xC03, 0xC13, 0xD03, 0xD13, 0xD23, 0xD33 -> "rcr";
            case 0xFF3 -> "far call";
            case 0xFF5 -> "far jmp";
            default -> null;
        };
        if (what == null) return String.format("unsupported opcode 0x%02x /%d", op, digit);
        return what + " is not allowed";
    }

    private static final String[] HIGH_BYTE = {"ah", "ch", "dh", "bh"};

    /** The reason to reject byte register code 4..7 without a REX prefix. */
    static String highByte(int code) {
        return "high-byte register " + HIGH_BYTE[code - 4] + " is not supported";
    }

    /** Name of a single REX bit (8, 4, 2 or 1). */
    static String rexBit(int bit) {
        return switch (bit) { case 8 -> "REX.W"; case 4 -> "REX.R"; case 2 -> "REX.X"; default -> "REX.B"; };
    }
}
