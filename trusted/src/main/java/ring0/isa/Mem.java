package ring0.isa;

/**
 * A memory reference {@code [base + index*scale + disp]}, or {@code [rip + disp]}.
 * The access size is the instruction's {@link Width} (or the source width for
 * {@code movzx}/{@code movsx}).
 *
 * @param base  base register, or {@code null} for none
 * @param index index register (never {@link Reg#RSP}), or {@code null} for none
 * @param scale 1, 2, 4 or 8 (1 when there is no index)
 * @param disp  signed 32-bit displacement; for RIP-relative references it is
 *              relative to the end of the instruction
 * @param rip   true for RIP-relative addressing (then base and index are null)
 */
public record Mem(Reg base, Reg index, int scale, int disp, boolean rip) implements Operand {
    public Mem {
        if (scale != 1 && scale != 2 && scale != 4 && scale != 8) throw new IllegalArgumentException("scale " + scale);
        if (index == Reg.RSP) throw new IllegalArgumentException("rsp cannot be an index");
        if (index == null && scale != 1) throw new IllegalArgumentException("scale without index");
        if (rip && (base != null || index != null)) throw new IllegalArgumentException("rip-relative with base or index");
        if (!rip && base == null && index == null) throw new IllegalArgumentException("absolute addressing is not supported");
    }

    /** {@code [base + disp]}. */
    public static Mem of(Reg base, int disp) { return new Mem(base, null, 1, disp, false); }

    /** {@code [base + index*scale + disp]}. */
    public static Mem of(Reg base, Reg index, int scale, int disp) { return new Mem(base, index, scale, disp, false); }

    /** {@code [rip + disp]}, disp relative to the end of the instruction. */
    public static Mem rip(int disp) { return new Mem(null, null, 1, disp, true); }
}
