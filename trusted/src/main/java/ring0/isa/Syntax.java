package ring0.isa;

/**
 * TRUSTED. Prints instructions in ring0's assembly syntax: NASM-like Intel
 * syntax in lower case, e.g. {@code mov rax, [rbx+rcx*8+8]},
 * {@code mov qword [rsp+8], 0}, {@code movzx eax, byte [rsi]}.
 *
 * <ul>
 * <li>A size keyword appears only on a memory operand whose size no register
 *     operand and no mnemonic fixes: with an immediate or {@code cl}, in unary
 *     operations, in {@code push}/{@code pop}, and on
 *     {@code movzx}/{@code movsx}/{@code movsxd} sources.
 * <li>Numbers with magnitude below 10 are decimal, others hex ({@code 0x1f},
 *     {@code -0x80}); immediates are printed as their canonical signed value.
 * <li>Branch targets are {@code $+n} (n relative to the start of the branch)
 *     in the address-free form, absolute hex addresses otherwise. A 32-bit
 *     {@code jmp}/{@code jcc} whose target an 8-bit one would reach is printed
 *     with {@code near}, so that it re-assembles to the same bytes.
 * <li>RIP-relative memory is {@code [rip+n]} (n relative to the end of the
 *     instruction) in the address-free form, {@code [rel 0x402000]} otherwise.
 * </ul>
 */
public final class Syntax {
    /** Whether targets are printed as absolute addresses. */
    private final boolean absolute;
    private final long address;
    private final int length;

    private Syntax(boolean absolute, long address, int length) {
        this.absolute = absolute;
        this.address = address;
        this.length = length;
    }

    /** Formats {@code insn} with branch targets relative to {@code $} and RIP-relative memory as {@code [rip+n]}. */
    public static String format(Insn insn) {
        return new Syntax(false, 0, 0).insn(insn);
    }

    /**
     * Formats {@code insn}, located at {@code address} and {@code length} bytes long,
     * with branch targets and RIP-relative references as absolute addresses.
     */
    public static String format(Insn insn, long address, int length) {
        return new Syntax(true, address, length).insn(insn);
    }

    /** The mnemonic of {@code insn}, e.g. {@code movzx} or {@code jae}. */
    static String mnemonic(Insn insn) {
        return switch (insn) {
            case Insn.Mov i -> "mov";
            case Insn.Movx i -> !i.signed() ? "movzx" : i.sw() == Width.DWORD ? "movsxd" : "movsx";
            case Insn.Lea i -> "lea";
            case Insn.Alu i -> lower(i.op());
            case Insn.Test i -> "test";
            case Insn.Unary i -> lower(i.op());
            case Insn.Imul2 i -> "imul";
            case Insn.Imul3 i -> "imul";
            case Insn.MulDiv i -> lower(i.op());
            case Insn.SignExtend i -> i.w() == Width.DWORD ? "cdq" : "cqo";
            case Insn.Shift i -> lower(i.op());
            case Insn.Cmov i -> "cmov" + i.cond().suffix();
            case Insn.Setcc i -> "set" + i.cond().suffix();
            case Insn.Jmp i -> "jmp";
            case Insn.Jcc i -> "j" + i.cond().suffix();
            case Insn.JmpInd i -> "jmp";
            case Insn.Call i -> "call";
            case Insn.CallInd i -> "call";
            case Insn.Ret i -> "ret";
            case Insn.Push i -> "push";
            case Insn.Pop i -> "pop";
            case Insn.Nop i -> "nop";
        };
    }

    private String insn(Insn insn) {
        String m = mnemonic(insn);
        return switch (insn) {
            case Insn.Mov i -> m + " " + binary(i.w(), i.dst(), i.src());
            case Insn.Movx i -> m + " " + i.dst().name(i.dw()) + ", " + operand(i.src(), i.sw(), true);
            case Insn.Lea i -> m + " " + i.dst().name(i.w()) + ", " + mem(i.src());
            case Insn.Alu i -> m + " " + binary(i.w(), i.dst(), i.src());
            case Insn.Test i -> m + " " + binary(i.w(), i.dst(), i.src());
            case Insn.Unary i -> m + " " + operand(i.dst(), i.w(), true);
            case Insn.Imul2 i -> m + " " + i.dst().name(i.w()) + ", " + operand(i.src(), i.w(), false);
            case Insn.Imul3 i -> m + " " + i.dst().name(i.w()) + ", " + operand(i.src(), i.w(), false)
                    + ", " + number(i.imm());
            case Insn.MulDiv i -> m + " " + operand(i.src(), i.w(), true);
            case Insn.SignExtend i -> m;
            case Insn.Shift i -> m + " " + operand(i.dst(), i.w(), true) + ", " + operand(i.count(), Width.BYTE, false);
            case Insn.Cmov i -> m + " " + i.dst().name(i.w()) + ", " + operand(i.src(), i.w(), false);
            case Insn.Setcc i -> m + " " + operand(i.dst(), Width.BYTE, false);
            case Insn.Jmp i -> m + " " + branch(i.rel(), i.rel8() ? 2 : 5, !i.rel8());
            case Insn.Jcc i -> m + " " + branch(i.rel(), i.rel8() ? 2 : 6, !i.rel8());
            case Insn.JmpInd i -> m + " " + operand(i.target(), Width.QWORD, false);
            case Insn.Call i -> m + " " + branch(i.rel(), 5, false);
            case Insn.CallInd i -> m + " " + operand(i.target(), Width.QWORD, false);
            case Insn.Ret i -> m;
            case Insn.Push i -> m + " " + operand(i.src(), Width.QWORD, true);
            case Insn.Pop i -> m + " " + operand(i.dst(), Width.QWORD, true);
            case Insn.Nop i -> m;
        };
    }

    /** {@code dst, src}, with a size keyword when a memory destination meets an immediate. */
    private String binary(Width w, Operand dst, Operand src) {
        return operand(dst, w, src instanceof Imm) + ", " + operand(src, w, false);
    }

    private String operand(Operand o, Width w, boolean sizeKeyword) {
        return switch (o) {
            case Reg r -> r.name(w);
            case Imm(long v) -> number(v);
            case Mem m -> sizeKeyword ? w.keyword() + " " + mem(m) : mem(m);
        };
    }

    private String mem(Mem m) {
        if (m.rip()) {
            return absolute ? "[rel 0x" + Long.toHexString(address + length + m.disp()) + "]" : "[rip" + offset(m.disp()) + "]";
        }
        StringBuilder sb = new StringBuilder("[");
        if (m.base() != null) sb.append(m.base().name(Width.QWORD));
        if (m.index() != null) {
            if (m.base() != null) sb.append('+');
            sb.append(m.index().name(Width.QWORD));
            if (m.scale() != 1 || m.base() == null) sb.append('*').append(m.scale());
        }
        return sb.append(offset(m.disp())).append(']').toString();
    }

    /**
     * A branch target. {@code size} is the length of the branch (its only encoding);
     * {@code near} asks for the keyword if a 2-byte branch would reach the target.
     */
    private String branch(int rel, int size, boolean near) {
        long fromStart = (long) rel + size;
        String keyword = near && fromStart - 2 >= Byte.MIN_VALUE && fromStart - 2 <= Byte.MAX_VALUE ? "near " : "";
        if (absolute) return keyword + "0x" + Long.toHexString(address + length + rel);
        return keyword + "$" + offset(fromStart);
    }

    /** {@code +n} or {@code -n}, or nothing for zero. */
    private static String offset(long v) {
        if (v == 0) return "";
        return v < 0 ? number(v) : "+" + number(v);
    }

    /** Decimal below 10 in magnitude, hex otherwise. */
    static String number(long v) {
        if (v > -10 && v < 10) return Long.toString(v);
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase();
    }
}
