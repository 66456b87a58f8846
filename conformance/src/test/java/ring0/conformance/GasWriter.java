package ring0.conformance;

import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Prints an {@link Insn} as one line of GNU as Intel syntax
 * ({@code .intel_syntax noprefix}), written so that as has no choice left that
 * our model fixes: memory operands carry an explicit size, {@code movabs} marks
 * the 64-bit immediate, and branches go to {@code .+N} (relative to the start
 * of the instruction) with a {@code {disp32}} pseudo-prefix to force the 32-bit
 * form, so that the displacement comes out exactly as in the record.
 */
final class GasWriter {
    private GasWriter() {}

    /** The Intel-syntax line for {@code insn}. */
    static String write(Insn insn) {
        return switch (insn) {
            case Insn.Mov i -> (movabs(i) ? "movabs " : "mov ") + ops(i.w(), i.dst(), i.src());
            case Insn.Movx i -> (i.sw() == Width.DWORD ? "movsxd " : i.signed() ? "movsx " : "movzx ")
                    + i.dst().name(i.dw()) + ", " + operand(i.sw(), i.src());
            case Insn.Lea i -> "lea " + i.dst().name(i.w()) + ", " + address(i.src());
            case Insn.Alu i -> lower(i.op()) + " " + ops(i.w(), i.dst(), i.src());
            case Insn.Test i -> "test " + ops(i.w(), i.dst(), i.src());
            case Insn.Unary i -> lower(i.op()) + " " + operand(i.w(), i.dst());
            case Insn.Imul2 i -> "imul " + i.dst().name(i.w()) + ", " + operand(i.w(), i.src());
            case Insn.Imul3 i -> "imul " + i.dst().name(i.w()) + ", " + operand(i.w(), i.src()) + ", " + number(i.imm());
            case Insn.MulDiv i -> lower(i.op()) + " " + operand(i.w(), i.src());
            case Insn.SignExtend i -> i.w() == Width.QWORD ? "cqo" : "cdq";
            case Insn.Shift i -> lower(i.op()) + " " + operand(i.w(), i.dst()) + ", "
                    + (i.count() instanceof Imm(long v) ? number(v) : "cl");
            case Insn.Cmov i -> "cmov" + i.cond().suffix() + " " + i.dst().name(i.w()) + ", " + operand(i.w(), i.src());
            case Insn.Setcc i -> "set" + i.cond().suffix() + " " + operand(Width.BYTE, i.dst());
            case Insn.Jmp i -> branch("jmp", i.rel(), i.rel8(), i.rel8() ? 2 : 5);
            case Insn.Jcc i -> branch("j" + i.cond().suffix(), i.rel(), i.rel8(), i.rel8() ? 2 : 6);
            case Insn.JmpInd i -> "jmp " + operand(Width.QWORD, i.target());
            case Insn.Call i -> "call " + target(i.rel() + 5L);
            case Insn.CallInd i -> "call " + operand(Width.QWORD, i.target());
            case Insn.Ret _ -> "ret";
            case Insn.Push i -> "push " + operand(Width.QWORD, i.src());
            case Insn.Pop i -> "pop " + operand(Width.QWORD, i.dst());
            case Insn.Nop _ -> "nop";
        };
    }

    private static boolean movabs(Insn.Mov i) {
        return i.w() == Width.QWORD && i.dst() instanceof Reg && i.src() instanceof Imm(long v) && v != (int) v;
    }

    private static String branch(String mnemonic, int rel, boolean rel8, int length) {
        return (rel8 ? "" : "{disp32} ") + mnemonic + " " + target(rel + (long) length);
    }

    /** {@code .+N}: the target relative to the start of the instruction. */
    private static String target(long fromStart) {
        return fromStart < 0 ? ".-0x" + Long.toHexString(-fromStart) : ".+0x" + Long.toHexString(fromStart);
    }

    private static String ops(Width w, Operand a, Operand b) {
        return operand(w, a) + ", " + operand(w, b);
    }

    private static String operand(Width w, Operand o) {
        return switch (o) {
            case Reg r -> r.name(w);
            case Imm(long v) -> number(v);
            case Mem m -> w.name() + " PTR " + address(m);
        };
    }

    /** A signed number in hex, e.g. {@code 0x7f} or {@code -0x80}. */
    static String number(long v) {
        if (v == Long.MIN_VALUE) return "-0x8000000000000000";
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    /** The bracketed address, e.g. {@code [rax+rcx*8+0x10]} or {@code [rip-0x4]}. */
    static String address(Mem m) {
        StringBuilder s = new StringBuilder("[");
        if (m.rip()) s.append("rip");
        if (m.base() != null) s.append(m.base().name(Width.QWORD));
        if (m.index() != null) {
            if (m.base() != null) s.append('+');
            s.append(m.index().name(Width.QWORD)).append('*').append(m.scale());
        }
        if (m.disp() != 0) {
            String n = number(m.disp());
            s.append(n.startsWith("-") ? n : "+" + n);
        }
        return s.append(']').toString();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase();
    }
}
