package ring0.asm;

import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;

/** Rewrites the RIP-relative memory operand of an instruction with its final displacement. */
final class RipFixup {
    private RipFixup() {}

    /** {@code insn} with its RIP-relative displacement set to {@code disp}. */
    static Insn withDisp(Insn insn, int disp) {
        return switch (insn) {
            case Insn.Mov i -> new Insn.Mov(i.w(), fix(i.dst(), disp), fix(i.src(), disp));
            case Insn.Movx i -> new Insn.Movx(i.dw(), i.dst(), i.sw(), fix(i.src(), disp), i.signed());
            case Insn.Lea i -> new Insn.Lea(i.w(), i.dst(), (Mem) fix(i.src(), disp));
            case Insn.Alu i -> new Insn.Alu(i.op(), i.w(), fix(i.dst(), disp), fix(i.src(), disp));
            case Insn.Test i -> new Insn.Test(i.w(), fix(i.dst(), disp), fix(i.src(), disp));
            case Insn.Unary i -> new Insn.Unary(i.op(), i.w(), fix(i.dst(), disp));
            case Insn.Imul2 i -> new Insn.Imul2(i.w(), i.dst(), fix(i.src(), disp));
            case Insn.Imul3 i -> new Insn.Imul3(i.w(), i.dst(), fix(i.src(), disp), i.imm());
            case Insn.MulDiv i -> new Insn.MulDiv(i.op(), i.w(), fix(i.src(), disp));
            case Insn.Shift i -> new Insn.Shift(i.op(), i.w(), fix(i.dst(), disp), i.count());
            case Insn.Cmov i -> new Insn.Cmov(i.cond(), i.w(), i.dst(), fix(i.src(), disp));
            case Insn.Setcc i -> new Insn.Setcc(i.cond(), fix(i.dst(), disp));
            case Insn.JmpInd i -> new Insn.JmpInd(fix(i.target(), disp));
            case Insn.CallInd i -> new Insn.CallInd(fix(i.target(), disp));
            case Insn.Push i -> new Insn.Push(fix(i.src(), disp));
            case Insn.Pop i -> new Insn.Pop(fix(i.dst(), disp));
            case Insn.SignExtend i -> i;
            case Insn.Jmp i -> i;
            case Insn.Jcc i -> i;
            case Insn.Call i -> i;
            case Insn.Ret i -> i;
            case Insn.Nop i -> i;
        };
    }

    private static Operand fix(Operand o, int disp) {
        return o instanceof Mem m && m.rip() ? Mem.rip(disp) : o;
    }
}
