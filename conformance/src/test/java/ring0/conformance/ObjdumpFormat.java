package ring0.conformance;

import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Renders an {@link Insn} the way GNU objdump 2.40 prints it in Intel syntax
 * ({@code -M intel}), after {@link #normalize}: {@code mov rax,QWORD PTR [rbx+rcx*8+0x10]}.
 * Written independently of {@link ring0.isa.Syntax}, so comparing with objdump
 * checks the decoder's model, not our printer.
 *
 * <p>objdump prints immediates as unsigned hex of the operation width (push: 64
 * bits), displacements as signed hex except RIP-relative ones (unsigned 64-bit),
 * branch targets as absolute addresses, {@code movabs} for the 10-byte
 * {@code mov r64, imm64}, and a size {@code PTR} on every memory operand except
 * {@code lea}'s.
 */
final class ObjdumpFormat {
    private ObjdumpFormat() {}

    /**
     * Brings objdump's text into a comparable form: drops the {@code # address}
     * comment, collapses whitespace, writes a zero displacement as none ({@code [rbp+0x0]}
     * and {@code [rbp]} mean the same to the model) and a shift count {@code 1} as {@code 0x1}
     * (objdump's rendering of the D0..D3 forms).
     */
    static String normalize(String objdumpText) {
        String s = objdumpText;
        int hash = s.indexOf('#');
        if (hash >= 0) s = s.substring(0, hash);
        s = s.strip().replaceAll("\\s+", " ").replace("+0x0]", "]");
        boolean shift = s.startsWith("shl ") || s.startsWith("shr ") || s.startsWith("sar ");
        return shift && s.endsWith(",1") ? s.substring(0, s.length() - 1) + "0x1" : s;
    }

    /** Our instruction at {@code address}, {@code length} bytes long, in normalized objdump style. */
    static String format(Insn insn, long address, int length) {
        long next = address + length;
        return switch (insn) {
            case Insn.Mov i -> (i.dst() instanceof Reg && i.src() instanceof Imm && length == 10 ? "movabs " : "mov ") + ops(i.w(), i.dst(), i.src(), next);
            case Insn.Movx i -> (!i.signed() ? "movzx " : i.sw() == Width.DWORD ? "movsxd " : "movsx ")
                    + i.dst().name(i.dw()) + "," + op(i.sw(), i.src(), next);
            case Insn.Lea i -> "lea " + i.dst().name(i.w()) + "," + mem(i.src(), next);
            case Insn.Alu i -> lower(i.op()) + " " + ops(i.w(), i.dst(), i.src(), next);
            case Insn.Test i -> "test " + ops(i.w(), i.dst(), i.src(), next);
            case Insn.Unary i -> lower(i.op()) + " " + op(i.w(), i.dst(), next);
            case Insn.Imul2 i -> "imul " + ops(i.w(), i.dst(), i.src(), next);
            case Insn.Imul3 i -> "imul " + ops(i.w(), i.dst(), i.src(), next) + "," + imm(i.w(), i.imm());
            case Insn.MulDiv i -> lower(i.op()) + " " + op(i.w(), i.src(), next);
            case Insn.SignExtend i -> i.w() == Width.DWORD ? "cdq" : "cqo";
            case Insn.Shift i -> lower(i.op()) + " " + op(i.w(), i.dst(), next) + ","
                    + (i.count() instanceof Imm(long v) ? imm(Width.BYTE, v) : "cl");
            case Insn.Cmov i -> "cmov" + i.cond().suffix() + " " + ops(i.w(), i.dst(), i.src(), next);
            case Insn.Setcc i -> "set" + i.cond().suffix() + " " + op(Width.BYTE, i.dst(), next);
            case Insn.Jmp i -> "jmp " + hex(next + i.rel());
            case Insn.Jcc i -> "j" + i.cond().suffix() + " " + hex(next + i.rel());
            case Insn.JmpInd i -> "jmp " + op(Width.QWORD, i.target(), next);
            case Insn.Call i -> "call " + hex(next + i.rel());
            case Insn.CallInd i -> "call " + op(Width.QWORD, i.target(), next);
            case Insn.Ret i -> "ret";
            case Insn.Push i -> "push " + op(Width.QWORD, i.src(), next);
            case Insn.Pop i -> "pop " + op(Width.QWORD, i.dst(), next);
            case Insn.Nop i -> "nop";
        };
    }

    private static String ops(Width w, Operand dst, Operand src, long next) {
        return op(w, dst, next) + "," + op(w, src, next);
    }

    private static String op(Width w, Operand o, long next) {
        return switch (o) {
            case Reg r -> r.name(w);
            case Imm(long v) -> imm(w, v);
            case Mem m -> w.name() + " PTR " + mem(m, next);
        };
    }

    private static String mem(Mem m, long next) {
        if (m.rip()) return "[rip" + (m.disp() == 0 ? "" : "+" + hex(m.disp())) + "]";
        StringBuilder sb = new StringBuilder("[");
        if (m.base() != null) sb.append(m.base().name(Width.QWORD));
        if (m.index() != null) {
            if (m.base() != null) sb.append('+');
            sb.append(m.index().name(Width.QWORD)).append('*').append(m.scale());
        }
        if (m.disp() > 0) sb.append('+').append(hex(m.disp()));
        if (m.disp() < 0) sb.append('-').append(hex(-(long) m.disp()));
        return sb.append(']').toString();
    }

    /** Unsigned hex of the low {@code w} bits. */
    private static String imm(Width w, long v) {
        return hex(w == Width.QWORD ? v : v & ((1L << w.bits()) - 1));
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase();
    }
}
