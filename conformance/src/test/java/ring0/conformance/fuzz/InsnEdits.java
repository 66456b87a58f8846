package ring0.conformance.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;
import ring0.asm.Encoder;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Syntax;
import ring0.isa.Width;

/**
 * Semantic rewrites of single instructions: decode, change one thing, encode
 * again with the ring0 encoder, and put the result in place of the original if
 * it fits (nops fill the rest). Unlike byte edits, these nearly always give a
 * valid instruction, and they make the mistakes a checker must catch: an
 * off-by-one displacement, a bounds check with {@code jbe} for {@code jb},
 * signed for unsigned, another register, another width, another operation,
 * a {@code call} turned into a {@code jmp}, a {@code lea} into a load.
 * RIP-relative and branch targets stay where they were when the length changes.
 */
final class InsnEdits {
    private InsnEdits() {}

    private static final Reg[] REGS = Reg.values();
    private static final Width[] WIDTHS = Width.values();
    private static final int NOP = 0x90;

    static void any(Draft d) {
        List<Seed.Instr> body = d.seed.body();
        for (int attempt = 0; attempt < 20; attempt++) {
            Seed.Instr in = d.pick(body.isEmpty() || d.chance(10) ? d.seed.insns() : body);
            Insn to;
            try {
                to = vary(d, in.insn());
            } catch (IllegalArgumentException | NullPointerException e) {
                continue;  // the variant is not an instruction (the records validate themselves)
            }
            if (to == null || to.equals(in.insn())) continue;
            to = keepTargets(in, to);
            if (to == null) continue;
            byte[] code;
            try {
                code = Encoder.encode(to);
            } catch (RuntimeException e) {
                continue;
            }
            if (code.length > in.length()) continue;
            int at = d.seed.textStart() + in.offset();
            byte[] b = d.elf();
            System.arraycopy(code, 0, b, at, code.length);
            Arrays.fill(b, at + code.length, at + in.length(), (byte) NOP);
            d.step("rewrite [text+" + ByteEdits.hex(in.offset()) + " " + show(in.insn(), in.offset(), in.length()) + "] as "
                    + show(to, in.offset(), code.length));
            return;
        }
    }

    /** {@code to} with its RIP-relative or branch displacement adjusted to its new length, or null if it cannot be. */
    private static Insn keepTargets(Seed.Instr in, Insn to) {
        int len;
        try {
            len = Encoder.length(to);
        } catch (RuntimeException e) {
            return null;
        }
        int delta = in.length() - len;
        if (delta == 0) return to;
        Insn adjusted = switch (to) {
            case Insn.Jmp j -> fitsRel(j.rel() + delta, j.rel8()) ? new Insn.Jmp(j.rel() + delta, j.rel8()) : null;
            case Insn.Jcc j -> fitsRel(j.rel() + delta, j.rel8()) ? new Insn.Jcc(j.cond(), j.rel() + delta, j.rel8()) : null;
            case Insn.Call c -> new Insn.Call(c.rel() + delta);
            default -> mapMem(to, m -> m.rip() ? Mem.rip(m.disp() + delta) : m);
        };
        if (adjusted == null) return null;
        try {
            return Encoder.length(adjusted) == len ? adjusted : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean fitsRel(int rel, boolean rel8) {
        return !rel8 || (rel >= -128 && rel <= 127);
    }

    /** A variant of {@code i} differing in one respect; may throw if the variant is not valid. */
    private static Insn vary(Draft d, Insn i) {
        int what = d.below(4);
        if (what == 0 && hasMem(i)) return mapMem(i, m -> varyMem(d, m));
        if (what == 1) {
            Insn r = mapImm(i, v -> varyImm(d, v));
            if (r != null) return r;
        }
        return switch (i) {
            case Insn.Mov x -> switch (d.below(3)) {
                case 0 -> new Insn.Mov(width(d), x.dst(), x.src());
                case 1 -> new Insn.Mov(x.w(), x.src() instanceof Imm ? x.dst() : x.src(), x.src() instanceof Imm ? x.src() : x.dst());
                default -> new Insn.Mov(x.w(), reg(d, x.dst()), reg(d, x.src()));
            };
            case Insn.Movx x -> switch (d.below(3)) {
                case 0 -> new Insn.Movx(x.dw(), x.dst(), x.sw(), x.src(), !x.signed());
                case 1 -> new Insn.Movx(width(d), x.dst(), width(d), x.src(), x.signed());
                default -> new Insn.Movx(x.dw(), (Reg) reg(d, x.dst()), x.sw(), reg(d, x.src()), x.signed());
            };
            case Insn.Lea x -> d.chance(50) ? new Insn.Mov(Width.QWORD, x.dst(), x.src()) : new Insn.Lea(x.w(), (Reg) reg(d, x.dst()), x.src());
            case Insn.Alu x -> switch (d.below(3)) {
                case 0 -> new Insn.Alu(d.pick(List.of(Insn.AluOp.values())), x.w(), x.dst(), x.src());
                case 1 -> new Insn.Alu(x.op(), width(d), x.dst(), x.src());
                default -> d.chance(50) ? new Insn.Alu(x.op(), x.w(), reg(d, x.dst()), x.src()) : new Insn.Alu(x.op(), x.w(), x.dst(), reg(d, x.src()));
            };
            case Insn.Test x -> d.chance(50) ? new Insn.Test(width(d), x.dst(), x.src()) : new Insn.Test(x.w(), reg(d, x.dst()), reg(d, x.src()));
            case Insn.Unary x -> d.chance(50) ? new Insn.Unary(d.pick(List.of(Insn.UnaryOp.values())), x.w(), x.dst()) : new Insn.Unary(x.op(), width(d), reg(d, x.dst()));
            case Insn.Imul2 x -> new Insn.Imul2(width(d), (Reg) reg(d, x.dst()), reg(d, x.src()));
            case Insn.Imul3 x -> new Insn.Imul3(width(d), (Reg) reg(d, x.dst()), reg(d, x.src()), x.imm());
            case Insn.MulDiv x -> d.chance(50) ? new Insn.MulDiv(d.pick(List.of(Insn.MulDivOp.values())), x.w(), x.src()) : new Insn.MulDiv(x.op(), width(d), reg(d, x.src()));
            case Insn.SignExtend x -> new Insn.SignExtend(x.w() == Width.QWORD ? Width.DWORD : Width.QWORD);
            case Insn.Shift x -> d.chance(50) ? new Insn.Shift(d.pick(List.of(Insn.ShiftOp.values())), x.w(), x.dst(), x.count()) : new Insn.Shift(x.op(), width(d), reg(d, x.dst()), x.count());
            case Insn.Cmov x -> d.chance(60) ? new Insn.Cmov(cond(d, x.cond()), x.w(), x.dst(), x.src()) : new Insn.Cmov(x.cond(), x.w(), (Reg) reg(d, x.dst()), reg(d, x.src()));
            case Insn.Setcc x -> d.chance(60) ? new Insn.Setcc(cond(d, x.cond()), x.dst()) : new Insn.Setcc(x.cond(), reg(d, x.dst()));
            case Insn.Jcc x -> d.chance(85) ? new Insn.Jcc(cond(d, x.cond()), x.rel(), x.rel8()) : new Insn.Jmp(x.rel(), x.rel8());
            case Insn.Jmp x -> new Insn.Jcc(d.pick(List.of(Cond.values())), x.rel(), x.rel8());
            case Insn.Call x -> new Insn.Jmp(x.rel(), false);
            case Insn.JmpInd x -> d.chance(50) ? new Insn.CallInd(x.target()) : new Insn.JmpInd(reg(d, x.target()));
            case Insn.CallInd x -> d.chance(50) ? new Insn.JmpInd(x.target()) : new Insn.CallInd(reg(d, x.target()));
            case Insn.Push x -> d.chance(50) ? new Insn.Pop(x.src()) : new Insn.Push(reg(d, x.src()));
            case Insn.Pop x -> d.chance(50) ? new Insn.Push(x.dst()) : new Insn.Pop(reg(d, x.dst()));
            case Insn.Ret x -> d.chance(50) ? new Insn.Nop() : new Insn.Pop(d.pick(List.of(REGS)));
            case Insn.Nop x -> new Insn.Ret();
        };
    }

    /** The same condition with a near neighbour (unsigned/signed, strict/non-strict, negated) or any other. */
    private static Cond cond(Draft d, Cond c) {
        return switch (d.below(5)) {
            case 0 -> c.negate();
            case 1 -> switch (c) {
                case B -> Cond.BE; case BE -> Cond.B; case AE -> Cond.A; case A -> Cond.AE;
                case L -> Cond.LE; case LE -> Cond.L; case GE -> Cond.G; case G -> Cond.GE;
                default -> c.negate();
            };
            case 2 -> switch (c) {
                case B -> Cond.L; case L -> Cond.B; case AE -> Cond.GE; case GE -> Cond.AE;
                case BE -> Cond.LE; case LE -> Cond.BE; case A -> Cond.G; case G -> Cond.A;
                default -> Cond.of(d.below(16));
            };
            default -> Cond.of(d.below(16));
        };
    }

    private static Width width(Draft d) {
        return WIDTHS[d.below(WIDTHS.length)];
    }

    /** A register operand replaced by another register; other operands as they are. */
    private static Operand reg(Draft d, Operand o) {
        return o instanceof Reg ? REGS[d.below(REGS.length)] : o;
    }

    private static Mem varyMem(Draft d, Mem m) {
        if (m.rip()) return Mem.rip(m.disp() + 8 * (d.below(5) - 2) + (d.chance(30) ? d.below(3) - 1 : 0));
        return switch (d.below(6)) {
            case 0 -> new Mem(m.base(), m.index(), m.scale(), m.disp() + d.pick(new int[] {-8, -1, 1, 8, 16}), false);
            case 1 -> new Mem(m.base(), m.index(), m.scale(), d.pick(new int[] {0, 8, 16, -8}), false);
            case 2 -> m.index() == null ? new Mem(m.base(), REGS[d.below(REGS.length)], 8, m.disp(), false)
                    : new Mem(m.base(), m.index(), d.pick(new int[] {1, 2, 4, 8}), m.disp(), false);
            case 3 -> m.index() == null || m.base() == null ? m : new Mem(m.index(), m.base(), m.scale(), m.disp(), false);
            case 4 -> m.index() == null ? Mem.of(REGS[d.below(REGS.length)], m.disp()) : new Mem(m.base(), null, 1, m.disp(), false);
            default -> new Mem(m.base() == null ? null : REGS[d.below(REGS.length)], m.index(), m.scale(), m.disp(), false);
        };
    }

    private static long varyImm(Draft d, long v) {
        return switch (d.below(4)) {
            case 0 -> v + (d.chance(50) ? 1 : -1);
            case 1 -> v + 8L * (d.below(5) - 2);
            case 2 -> d.pick(new long[] {0, 1, -1, 8, 16, 127, -128, 255, 0x7fffffff, Integer.MIN_VALUE});
            default -> -v;
        };
    }

    private static boolean hasMem(Insn i) {
        boolean[] found = {false};
        mapMem(i, m -> {
            found[0] = true;
            return m;
        });
        return found[0];
    }

    /** {@code i} with every memory operand mapped by {@code f}. */
    private static Insn mapMem(Insn i, UnaryOperator<Mem> f) {
        UnaryOperator<Operand> o = x -> x instanceof Mem m ? f.apply(m) : x;
        return mapOperands(i, o);
    }

    /** {@code i} with its immediate mapped by {@code f}, or null if it has none. */
    private static Insn mapImm(Insn i, LongUnaryOperator f) {
        if (i instanceof Insn.Imul3 x) return new Insn.Imul3(x.w(), x.dst(), x.src(), f.applyAsLong(x.imm()));
        boolean[] found = {false};
        Insn r = mapOperands(i, x -> {
            if (x instanceof Imm(long v)) {
                found[0] = true;
                return new Imm(f.applyAsLong(v));
            }
            return x;
        });
        return found[0] ? r : null;
    }

    private static Insn mapOperands(Insn i, UnaryOperator<Operand> f) {
        return switch (i) {
            case Insn.Mov x -> new Insn.Mov(x.w(), f.apply(x.dst()), f.apply(x.src()));
            case Insn.Movx x -> new Insn.Movx(x.dw(), x.dst(), x.sw(), f.apply(x.src()), x.signed());
            case Insn.Lea x -> new Insn.Lea(x.w(), x.dst(), (Mem) f.apply(x.src()));
            case Insn.Alu x -> new Insn.Alu(x.op(), x.w(), f.apply(x.dst()), f.apply(x.src()));
            case Insn.Test x -> new Insn.Test(x.w(), f.apply(x.dst()), f.apply(x.src()));
            case Insn.Unary x -> new Insn.Unary(x.op(), x.w(), f.apply(x.dst()));
            case Insn.Imul2 x -> new Insn.Imul2(x.w(), x.dst(), f.apply(x.src()));
            case Insn.Imul3 x -> new Insn.Imul3(x.w(), x.dst(), f.apply(x.src()), x.imm());
            case Insn.MulDiv x -> new Insn.MulDiv(x.op(), x.w(), f.apply(x.src()));
            case Insn.Shift x -> new Insn.Shift(x.op(), x.w(), f.apply(x.dst()), f.apply(x.count()));
            case Insn.Cmov x -> new Insn.Cmov(x.cond(), x.w(), x.dst(), f.apply(x.src()));
            case Insn.Setcc x -> new Insn.Setcc(x.cond(), f.apply(x.dst()));
            case Insn.JmpInd x -> new Insn.JmpInd(f.apply(x.target()));
            case Insn.CallInd x -> new Insn.CallInd(f.apply(x.target()));
            case Insn.Push x -> new Insn.Push(f.apply(x.src()));
            case Insn.Pop x -> new Insn.Pop(f.apply(x.dst()));
            case Insn.SignExtend x -> x;
            case Insn.Jmp x -> x;
            case Insn.Jcc x -> x;
            case Insn.Call x -> x;
            case Insn.Ret x -> x;
            case Insn.Nop x -> x;
        };
    }

    private static String show(Insn i, int offset, int length) {
        try {
            return Syntax.format(i, offset, length);
        } catch (RuntimeException e) {
            return i.toString();
        }
    }
}
