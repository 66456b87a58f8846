package ring0.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Insn.AluOp;
import ring0.isa.Insn.MulDivOp;
import ring0.isa.Insn.ShiftOp;
import ring0.isa.Insn.UnaryOp;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Every instruction form the model supports, instantiated over all sixteen
 * registers, every legal width, every addressing mode and the immediate and
 * displacement values at the encoding boundaries (about 87,000
 * instances). Deterministic, so a failure always names the same instance.
 *
 * <p>Addressing modes come in two sets: {@link #allMems()} (every base, every
 * base/index/scale combination, index-only, RIP-relative, with displacements at
 * the disp8/disp32 boundaries) is used for a few representative forms; the
 * rest use {@link #someMems()}, which still hits every special case of ModRM and
 * SIB encoding (rsp/r12 base, rbp/r13 base, every index, every scale).
 */
final class FormCatalog {
    private FormCatalog() {}

    private static final Reg[] REGS = Reg.values();
    private static final Width[] WIDTHS = Width.values();
    private static final Width[] WIDE = {Width.WORD, Width.DWORD, Width.QWORD};

    /** Displacements around the "none / disp8 / disp32" boundaries. */
    private static final int[] DISPS = {0, 1, -1, 0x10, 127, -128, 128, -129, 0x12345, Integer.MAX_VALUE, Integer.MIN_VALUE};

    /** Immediates around the imm8 / imm16 / imm32 boundaries; filtered per width. */
    private static final long[] IMMS = {
        0, 1, -1, 2, 127, -128, 128, -129, 0x7fff, -0x8000, 0x8000, -0x8001,
        0x12345678, Integer.MAX_VALUE, Integer.MIN_VALUE,
    };

    /** Values for {@code mov r64, imm}: both the sign-extended imm32 form and the imm64 form. */
    private static final long[] IMM64S = {
        0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x80000000L, 0xffffffffL, -0x80000001L,
        0x100000000L, 0x123456789abcdef0L, Long.MAX_VALUE, Long.MIN_VALUE,
    };

    /** Shift counts (unsigned 0..255), including the special count 1. */
    private static final long[] COUNTS = {0, 1, 2, 7, 31, 63, 128, 255};

    /** Branch displacements for the rel32 forms. */
    private static final int[] RELS = {0, 1, -1, 127, -128, 128, -129, -5, 0x12345, Integer.MAX_VALUE, Integer.MIN_VALUE};

    /** Branch displacements for the rel8 forms. */
    private static final int[] RELS8 = {0, 1, -1, -2, 127, -128, 0x40};

    /** Every instance, in a fixed order. */
    static List<Insn> all() {
        List<Insn> out = new ArrayList<>(150_000);
        mov(out);
        movx(out);
        for (Width w : new Width[] {Width.DWORD, Width.QWORD}) {
            regMem(out, allMems(), (r, m) -> new Insn.Lea(w, r, m));
            for (Reg r : REGS) out.add(new Insn.Lea(w, r, Mem.of(REGS[(r.code() + 5) % 16], 8)));
        }
        for (AluOp op : AluOp.values()) for (Width w : WIDTHS) alu(out, op, w);
        for (Width w : WIDTHS) test(out, w);
        for (Width w : WIDTHS) {
            for (UnaryOp op : UnaryOp.values()) rm(out, d -> new Insn.Unary(op, w, d));
            for (MulDivOp op : MulDivOp.values()) rm(out, s -> new Insn.MulDiv(op, w, s));
            for (ShiftOp op : ShiftOp.values()) {
                for (long c : COUNTS) rm(out, d -> new Insn.Shift(op, w, d, new Imm(c)));
                rm(out, d -> new Insn.Shift(op, w, d, Reg.RCX));
            }
        }
        for (Width w : WIDE) {
            regRm(out, (d, s) -> new Insn.Imul2(w, d, s));
            for (long v : immsFor(w)) regRm(out, (d, s) -> new Insn.Imul3(w, d, s, v));
            for (Cond c : Cond.values()) regRm(out, (d, s) -> new Insn.Cmov(c, w, d, s));
        }
        out.add(new Insn.SignExtend(Width.DWORD));
        out.add(new Insn.SignExtend(Width.QWORD));
        for (Cond c : Cond.values()) rm(out, d -> new Insn.Setcc(c, d));
        branches(out);
        rm(out, Insn.JmpInd::new);
        rm(out, Insn.CallInd::new);
        rm(out, Insn.Push::new);
        rm(out, Insn.Pop::new);
        for (long v : immsFor(Width.QWORD)) out.add(new Insn.Push(new Imm(v)));
        out.add(new Insn.Ret());
        out.add(new Insn.Nop());
        return out;
    }

    private static void mov(List<Insn> out) {
        for (Width w : WIDTHS) {
            pairs(out, (d, s) -> new Insn.Mov(w, d, s));
            regMem(out, allMems(), (r, m) -> new Insn.Mov(w, r, m));
            regMem(out, allMems(), (r, m) -> new Insn.Mov(w, m, r));
            if (w != Width.QWORD) {
                for (Reg r : REGS) for (long v : immsFor(w)) out.add(new Insn.Mov(w, r, new Imm(v)));
            }
            memImm(out, w, (m, v) -> new Insn.Mov(w, m, v));
        }
        for (Reg r : REGS) for (long v : IMM64S) out.add(new Insn.Mov(Width.QWORD, r, new Imm(v)));
    }

    private static void movx(List<Insn> out) {
        for (boolean signed : new boolean[] {false, true}) {
            for (Width dw : WIDE) movx(out, dw, Width.BYTE, signed);
            movx(out, Width.DWORD, Width.WORD, signed);
            movx(out, Width.QWORD, Width.WORD, signed);
        }
        movx(out, Width.QWORD, Width.DWORD, true);
    }

    private static void movx(List<Insn> out, Width dw, Width sw, boolean signed) {
        pairs(out, (d, s) -> new Insn.Movx(dw, d, sw, s, signed));
        regMem(out, someMems(), (d, m) -> new Insn.Movx(dw, d, sw, m, signed));
    }

    private static void alu(List<Insn> out, AluOp op, Width w) {
        pairs(out, (d, s) -> new Insn.Alu(op, w, d, s));
        regMem(out, someMems(), (r, m) -> new Insn.Alu(op, w, r, m));
        regMem(out, someMems(), (r, m) -> new Insn.Alu(op, w, m, r));
        for (Reg r : REGS) for (long v : immsFor(w)) out.add(new Insn.Alu(op, w, r, new Imm(v)));
        memImm(out, w, (m, v) -> new Insn.Alu(op, w, m, v));
    }

    private static void test(List<Insn> out, Width w) {
        pairs(out, (d, s) -> new Insn.Test(w, d, s));
        regMem(out, someMems(), (r, m) -> new Insn.Test(w, m, r));
        for (Reg r : REGS) for (long v : immsFor(w)) out.add(new Insn.Test(w, r, new Imm(v)));
        memImm(out, w, (m, v) -> new Insn.Test(w, m, v));
    }

    private static void branches(List<Insn> out) {
        for (int rel : RELS8) out.add(new Insn.Jmp(rel, true));
        for (int rel : RELS) {
            out.add(new Insn.Jmp(rel, false));
            out.add(new Insn.Call(rel));
        }
        for (Cond c : Cond.values()) {
            for (int rel : RELS8) out.add(new Insn.Jcc(c, rel, true));
            for (int rel : RELS) out.add(new Insn.Jcc(c, rel, false));
        }
    }

    /** The immediates that are legal (canonical) for width {@code w}. */
    static List<Long> immsFor(Width w) {
        Width field = w == Width.QWORD ? Width.DWORD : w;
        List<Long> out = new ArrayList<>();
        for (long v : IMMS) if (field.fitsSigned(v)) out.add(v);
        return out;
    }

    /** Every ordered pair of registers. */
    private static void pairs(List<Insn> out, BiFunction<Reg, Reg, Insn> f) {
        for (Reg a : REGS) for (Reg b : REGS) out.add(f.apply(a, b));
    }

    /** A register paired with each memory operand, the register rotating through all sixteen. */
    private static void regMem(List<Insn> out, List<Mem> mems, BiFunction<Reg, Mem, Insn> f) {
        int k = 0;
        for (Mem m : mems) out.add(f.apply(REGS[k++ % 16], m));
    }

    /** A destination register with a register or memory source. */
    private static void regRm(List<Insn> out, BiFunction<Reg, Operand, Insn> f) {
        pairs(out, f::apply);
        regMem(out, someMems(), f::apply);
    }

    /** A one-operand form on every register and on {@link #someMems()}. */
    private static void rm(List<Insn> out, Function<Operand, Insn> f) {
        for (Reg r : REGS) out.add(f.apply(r));
        for (Mem m : someMems()) out.add(f.apply(m));
    }

    /** Memory destination with immediates: each legal immediate on a rotating subset of addressing modes. */
    private static void memImm(List<Insn> out, Width w, BiFunction<Mem, Imm, Insn> f) {
        List<Mem> mems = someMems();
        List<Long> imms = immsFor(w);
        for (int k = 0; k < mems.size(); k++) out.add(f.apply(mems.get(k), new Imm(imms.get(k % imms.size()))));
        for (int k = 0; k < imms.size(); k++) out.add(f.apply(mems.get((k * 7) % mems.size()), new Imm(imms.get(k))));
    }

    private static final List<Mem> ALL_MEMS = buildAllMems();
    private static final List<Mem> SOME_MEMS = buildSomeMems();

    /** Every addressing mode with boundary displacements (about 1,500 operands). */
    static List<Mem> allMems() {
        return ALL_MEMS;
    }

    /**
     * Fewer addressing modes that still reach every ModRM/SIB case: every base
     * with no, 8-bit and 32-bit displacement, every index at every scale, with
     * and without base, and RIP-relative.
     */
    static List<Mem> someMems() {
        return SOME_MEMS;
    }

    private static List<Mem> buildAllMems() {
        List<Mem> out = new ArrayList<>();
        for (Reg b : REGS) for (int d : DISPS) out.add(Mem.of(b, d));
        int k = 0;
        for (Reg b : REGS) {
            for (Reg i : REGS) {
                if (i == Reg.RSP) continue;
                for (int s = 1; s <= 8; s <<= 1) out.add(Mem.of(b, i, s, DISPS[k++ % DISPS.length]));
            }
        }
        for (Reg i : REGS) {
            if (i == Reg.RSP) continue;
            for (int s = 1; s <= 8; s <<= 1) {
                out.add(new Mem(null, i, s, 0, false));
                out.add(new Mem(null, i, s, DISPS[k++ % DISPS.length], false));
            }
        }
        for (int d : DISPS) out.add(Mem.rip(d));
        return List.copyOf(out);
    }

    private static List<Mem> buildSomeMems() {
        List<Mem> out = new ArrayList<>();
        for (Reg b : REGS) {
            out.add(Mem.of(b, 0));
            out.add(Mem.of(b, -128));
            out.add(Mem.of(b, 128));
        }
        int k = 0;
        for (Reg i : REGS) {
            if (i == Reg.RSP) continue;
            int s = 1 << (k & 3);
            out.add(Mem.of(REGS[(i.code() + 3 + k) % 16], i, s, DISPS[k % DISPS.length]));
            if (k % 3 == 0) out.add(new Mem(null, i, s, DISPS[(k + 5) % DISPS.length], false));
            k++;
        }
        out.add(Mem.of(Reg.RBP, Reg.R13, 2, 0));
        out.add(Mem.of(Reg.R13, Reg.R12, 4, 0));
        out.add(Mem.of(Reg.RSP, Reg.RBP, 8, 0));
        out.add(Mem.rip(0x10));
        out.add(Mem.rip(-0x80000000));
        return List.copyOf(out);
    }
}
