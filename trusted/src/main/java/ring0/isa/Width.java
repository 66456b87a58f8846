package ring0.isa;

/** Operand size of an instruction or memory access. */
public enum Width {
    BYTE(1), WORD(2), DWORD(4), QWORD(8);

    /** Size in bytes. */
    public final int bytes;

    Width(int bytes) { this.bytes = bytes; }

    /** Size in bits. */
    public int bits() { return bytes * 8; }

    /** True if {@code v}, read as a signed value, fits this width (two's complement). */
    public boolean fitsSigned(long v) {
        return switch (this) {
            case BYTE -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case WORD -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case DWORD -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            case QWORD -> true;
        };
    }

    /** True if {@code v} fits this width either as a signed or as an unsigned value. */
    public boolean fits(long v) {
        return switch (this) {
            case BYTE -> v >= Byte.MIN_VALUE && v <= 0xFFL;
            case WORD -> v >= Short.MIN_VALUE && v <= 0xFFFFL;
            case DWORD -> v >= Integer.MIN_VALUE && v <= 0xFFFF_FFFFL;
            case QWORD -> true;
        };
    }

    /** NASM-style size keyword: {@code byte}, {@code word}, {@code dword}, {@code qword}. */
    public String keyword() { return name().toLowerCase(); }
}
