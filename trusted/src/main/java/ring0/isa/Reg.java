package ring0.isa;

/**
 * The sixteen general-purpose registers, in hardware encoding order.
 * The legacy high-byte registers (ah, ch, dh, bh) are deliberately not part
 * of the model: byte operands always name the low byte of a register.
 */
public enum Reg implements Operand {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;

    private static final Reg[] BY_CODE = values();
    private static final String[][] NAMES = {
        {"al", "ax", "eax", "rax"}, {"cl", "cx", "ecx", "rcx"}, {"dl", "dx", "edx", "rdx"},
        {"bl", "bx", "ebx", "rbx"}, {"spl", "sp", "esp", "rsp"}, {"bpl", "bp", "ebp", "rbp"},
        {"sil", "si", "esi", "rsi"}, {"dil", "di", "edi", "rdi"},
        {"r8b", "r8w", "r8d", "r8"}, {"r9b", "r9w", "r9d", "r9"}, {"r10b", "r10w", "r10d", "r10"},
        {"r11b", "r11w", "r11d", "r11"}, {"r12b", "r12w", "r12d", "r12"}, {"r13b", "r13w", "r13d", "r13"},
        {"r14b", "r14w", "r14d", "r14"}, {"r15b", "r15w", "r15d", "r15"},
    };

    /** Hardware register number 0..15. */
    public int code() { return ordinal(); }

    /** The register with hardware number {@code code} (0..15). */
    public static Reg of(int code) { return BY_CODE[code]; }

    /** True for r8..r15, which need a REX extension bit. */
    public boolean extended() { return ordinal() >= 8; }

    /** The name of this register at the given width, e.g. {@code eax} or {@code r9b}. */
    public String name(Width w) { return NAMES[ordinal()][w.ordinal()]; }

    /**
     * Looks up a register by any of its names at any width.
     *
     * @return the register and width, or {@code null} if {@code name} is not a register name
     */
    public static Sized parse(String name) {
        String n = name.toLowerCase();
        for (Reg r : BY_CODE) {
            for (Width w : Width.values()) {
                if (NAMES[r.ordinal()][w.ordinal()].equals(n)) return new Sized(r, w);
            }
        }
        return null;
    }

    /** A register together with the width it was named at. */
    public record Sized(Reg reg, Width width) {}
}
