package ring0.isa;

/**
 * An immediate operand, in canonical form: the signed value of its encoded
 * bits. An 8-bit immediate {@code 0xff} on a byte operation is {@code -1};
 * on a 64-bit operation, a 32-bit immediate is sign-extended, so {@code -1}
 * means all ones. The one 64-bit immediate ({@code mov r64, imm64}) holds any
 * value. Shift counts are the exception: unsigned 0..255.
 */
public record Imm(long value) implements Operand {

    /**
     * The canonical immediate for writing {@code v} at width {@code w}, accepting
     * values written unsigned ({@code 255} for a byte becomes {@code -1}).
     *
     * @return the canonical value, or {@code null} if {@code v} does not fit {@code w}
     *         either signed or unsigned
     */
    public static Long canonical(Width w, long v) {
        if (!w.fits(v)) return null;
        return switch (w) {
            case BYTE -> (long) (byte) v;
            case WORD -> (long) (short) v;
            case DWORD -> (long) (int) v;
            case QWORD -> v;
        };
    }
}
