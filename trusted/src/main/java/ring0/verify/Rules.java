package ring0.verify;

import static ring0.isa.Width.BYTE;
import static ring0.isa.Width.DWORD;
import static ring0.isa.Width.QWORD;
import static ring0.isa.Width.WORD;

import java.util.List;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;
import ring0.verify.Pre.Rel;

/**
 * TRUSTED. The data-flow rules (docs/types.md §5): moves, arithmetic,
 * comparisons, multiplication and division, conditional moves, push and pop.
 * Each reads its operands (which checks that they may be read), checks what
 * it requires, then writes its result. Memory operands go through
 * {@link Memory}; {@code sub/add rsp} through {@link Flow#adjustStack}.
 */
final class Rules {
    private final Region r;
    private final State st;
    private final Knowledge k;
    private final Memory mem;
    private final Flow flow;
    private final TypeEnv env;

    Rules(Region r) {
        this.r = r;
        this.st = r.st;
        this.k = r.k;
        this.mem = r.mem;
        this.flow = r.flow;
        this.env = r.env;
    }

    void mov(Insn.Mov m) throws IllTyped {
        Width w = m.w();
        if (m.dst() instanceof Reg d) {
            r.dest(d);
            switch (m.src()) {
                case Reg s -> {
                    Value v = r.valueOf(s);
                    if (w == QWORD) st.set(d, v);
                    else r.writeInt(d, w, k.cval(v.term()));
                }
                case Imm(long v) -> r.writeInt(d, w, v);
                case Mem s -> {
                    Value v = mem.read(mem.resolve(s, w));
                    if (w == QWORD) st.set(d, v);
                    else r.writeInt(d, w, null);
                }
            }
            return;
        }
        Memory.Loc loc = mem.resolve((Mem) m.dst(), w);
        Value v = switch (m.src()) {
            case Reg s -> w == QWORD ? r.valueOf(s) : r.intReg(s);
            case Imm(long c) -> Value.constant(w == QWORD ? c : c & Region.mask(w));
            case Mem s -> throw new IllegalStateException("mov memory to memory");
        };
        mem.write(loc, v);
    }

    void movx(Insn.Movx m) throws IllTyped {
        r.dest(m.dst());
        if (m.src() instanceof Mem s) mem.read(mem.resolve(s, m.sw()));
        else r.intReg((Reg) m.src());
        r.writeInt(m.dst(), m.dw(), null);
        if (!m.signed() && (m.dw() == QWORD || m.dw() == DWORD)) {
            k.learn(st.reg(m.dst()).term(), Rel.LE, new Term.Const(Region.mask(m.sw())));
        }
    }

    void lea(Insn.Lea l) throws IllTyped {
        Reg d = r.dest(l.dst());
        Mem m = l.src();
        if (m.rip()) {
            long target = (long) r.at + r.len + m.disp();
            int li = r.prog.labelAt(target);
            TypesSection.DataDecl data = r.prog.dataAt(target);
            if (l.w() != QWORD) throw r.reject("lea of a label must be 64-bit");
            if (li >= 0) {
                st.set(d, new Value(r.prog.labels().get(li).type(), r.newSym()));
            } else if (data != null && data.kind() != TypesSection.DataKind.WORD) {
                Term t = r.newSym();
                st.set(d, new Value(data.kind() == TypesSection.DataKind.BYTES ? Type.BYTES : new Type.Arr(Type.INT), t));
                k.learn(new Term.Len(t), Rel.EQ, new Term.Const(data.length()));
            } else {
                throw r.reject("lea of " + mem.describe(target) + ": only a code label or a data array can be addressed");
            }
            return;
        }
        if (m.base() == Reg.RSP) throw r.reject("rsp is not a value: lea cannot address the stack");
        Long c = (long) m.disp();
        if (m.base() != null) c = add(c, k.cval(r.intReg(m.base()).term()));
        if (m.index() != null) {
            Long i = k.cval(r.intReg(m.index()).term());
            c = i == null ? null : add(c, i * m.scale());
        }
        r.writeInt(d, l.w(), c);
    }

    private static Long add(Long a, Long b) {
        return a == null || b == null ? null : a + b;
    }

    void alu(Insn.Alu a) throws IllTyped {
        Width w = a.w();
        if (a.op() == Insn.AluOp.CMP) {
            compare(r.operandValue(a.dst(), w), r.operandValue(a.src(), w), w, "cmp");
            return;
        }
        if (a.dst() == Reg.RSP) {
            flow.adjustStack(a);
            st.clearFlags();
            return;
        }
        if (a.src() == Reg.RSP) throw r.rspMisuse();
        st.clearFlags();
        if ((a.op() == Insn.AluOp.XOR || a.op() == Insn.AluOp.SUB) && a.dst() instanceof Reg d && a.src() == d) {
            r.writeInt(d, w, 0L);
            return;
        }
        if (a.dst() instanceof Reg d) {
            Long x = k.cval(r.intReg(d).term());
            Long y = k.cval(r.intOperand(a.src(), w).term());
            r.writeInt(d, w, fold(a.op(), x, y));
            Long result = k.cval(st.reg(d).term());
            if (a.op() == Insn.AluOp.AND && result == null && y != null && (w == DWORD || (w == QWORD && y >= 0))) {
                k.learn(st.reg(d).term(), Rel.LE, new Term.Const(w == QWORD ? y : y & 0xFFFF_FFFFL));
            }
            return;
        }
        Memory.Loc loc = mem.resolve((Mem) a.dst(), w);
        r.requireInt(mem.read(loc), "memory operand");
        r.intOperand(a.src(), w);
        mem.write(loc, r.freshInt());
    }

    private static Long fold(Insn.AluOp op, Long x, Long y) {
        if (x == null || y == null) return null;
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            case ADC, SBB, CMP -> null;
        };
    }

    void test(Insn.Test t) throws IllTyped {
        Width w = t.w();
        if (t.dst() instanceof Reg d && t.src() == d) {
            Value v = r.valueOf(d);
            if (r.isInt(v) || w == QWORD) {
                if (w == QWORD) {
                    st.flagA = v.term();
                    st.flagB = Term.ZERO;
                } else {
                    st.clearFlags();
                }
                return;
            }
            throw r.reject("test of a pointer must be 64-bit", "int", r.show(v));
        }
        r.requireInt(r.operandValue(t.dst(), w), "test operand");
        r.requireInt(r.operandValue(t.src(), w), "test operand");
        st.clearFlags();
    }

    /** Sets the flags from {@code cmp a, b} (or {@code test}): ints, or a pointer and 0. */
    void compare(Value a, Value b, Width w, String what) throws IllTyped {
        boolean ia = r.isInt(a), ib = r.isInt(b);
        if (ia && ib) {
            if (w == QWORD) {
                st.flagA = a.term();
                st.flagB = b.term();
            } else {
                st.clearFlags();
            }
            return;
        }
        Long cb = k.cval(b.term());
        boolean nullTest = !a.junk() && !ia && cb != null && cb == 0;
        boolean self = !a.junk() && a.term() != null && a.term().equals(b.term());
        if (w == QWORD && (nullTest || self)) {
            st.flagA = a.term();
            st.flagB = b.term();
            return;
        }
        throw r.reject(what + " needs two ints, or a pointer and 0", "int", r.show(ia ? b : a));
    }

    void unary(Insn.Unary u) throws IllTyped {
        st.clearFlags();
        if (u.dst() instanceof Reg d) {
            Long x = k.cval(r.intReg(d).term());
            Long res = x == null ? null : switch (u.op()) {
                case INC -> x + 1;
                case DEC -> x - 1;
                case NOT -> ~x;
                case NEG -> -x;
            };
            r.writeInt(d, u.w(), res);
            return;
        }
        Memory.Loc loc = mem.resolve((Mem) u.dst(), u.w());
        r.requireInt(mem.read(loc), "memory operand");
        mem.write(loc, r.freshInt());
    }

    void shift(Insn.Shift s) throws IllTyped {
        st.clearFlags();
        if (s.count() == Reg.RCX) r.intReg(Reg.RCX);
        if (s.dst() instanceof Reg d) {
            r.intReg(d);
            r.writeInt(d, s.w(), null);
            return;
        }
        Memory.Loc loc = mem.resolve((Mem) s.dst(), s.w());
        r.requireInt(mem.read(loc), "memory operand");
        mem.write(loc, r.freshInt());
    }

    void mulDiv(Insn.MulDiv m) throws IllTyped {
        Width w = m.w();
        Value rax = r.intReg(Reg.RAX);
        Value src = r.intOperand(m.src(), w);
        st.clearFlags();
        // mul/imul: rdx:rax := rax * src; div/idiv: rax, rdx := rdx:rax / src, rdx:rax % src
        boolean divide = m.op() == Insn.MulDivOp.DIV || m.op() == Insn.MulDivOp.IDIV;
        if (divide) {
            if (w == BYTE || w == WORD) throw r.reject("8- and 16-bit division is not supported");
            Value rdx = r.valueOf(Reg.RDX);
            Term d = src.term();
            if (m.op() == Insn.MulDivOp.DIV) {
                Long hi = k.cval(rdx.term());
                if (hi == null || (w == QWORD ? hi != 0 : (hi & 0xFFFF_FFFFL) != 0)) {
                    throw r.reject("div needs " + (w == QWORD ? "rdx" : "edx") + " = 0", "=0", r.show(rdx));
                }
                boolean ok = w == QWORD ? k.nonZero(d) : nonZero32(d);
                if (!ok) throw r.reject("divisor not proven != 0");
            } else {
                if (!rdx.term().equals(new Term.Sign(rax.term(), w == DWORD))) {
                    throw r.reject("idiv needs " + (w == QWORD ? "rdx set by cqo" : "edx set by cdq") + " from the current "
                            + (w == QWORD ? "rax" : "eax"));
                }
                boolean ok = w == QWORD ? k.slt(Term.ZERO, d) || (k.nonZero(d) && k.notMinusOne(d)) : positive31(d);
                if (!ok) throw r.reject("divisor not proven != 0 and != -1");
            }
        }
        r.writeInt(Reg.RAX, w == BYTE ? WORD : w, null);
        if (w != BYTE) r.writeInt(Reg.RDX, w, null);
    }

    /** The low 32 bits of {@code d} are not 0: a constant, or a non-zero value below 2^32. */
    private boolean nonZero32(Term d) {
        Long c = k.cval(d);
        if (c != null) return (c & 0xFFFF_FFFFL) != 0;
        return k.nonZero(d) && k.lt(d, new Term.Const(1L << 32));
    }

    /** The low 32 bits of {@code d}, as a signed number, are positive. */
    private boolean positive31(Term d) {
        Long c = k.cval(d);
        if (c != null) return (int) (long) c > 0;
        return k.nonZero(d) && k.lt(d, new Term.Const(1L << 31));
    }

    void cmov(Insn.Cmov c) throws IllTyped {
        Reg d = r.dest(c.dst());
        Value src = c.src() instanceof Mem m ? mem.read(mem.resolve(m, c.w())) : r.valueOf((Reg) c.src());
        Value old = r.valueOf(d);
        if (r.isInt(old) && r.isInt(src)) {
            r.writeInt(d, c.w(), null);
        } else if (c.w() != QWORD) {
            throw r.reject("cmov below 64 bits needs ints", "int", r.show(r.isInt(old) ? src : old));
        } else if (!old.term().equals(src.term())) {
            Type t = r.view(old);
            if (!new Matcher(env, List.of()).eq(r.view(src), t)) throw r.reject("cmov needs two ints or two values of the same type", r.show(old), r.show(src));
            st.set(d, new Value(t, r.newSym()));
        }
    }

    void push(Insn.Push p) throws IllTyped {
        Value v = switch (p.src()) {
            case Reg g -> {
                if (g == Reg.RSP) throw r.rspMisuse();
                yield st.reg(g);
            }
            case Imm(long c) -> Value.constant(c);
            case Mem m -> mem.read(mem.resolve(m, QWORD));
        };
        flow.budget(1);
        st.push(v);
    }

    void pop(Insn.Pop p) throws IllTyped {
        if (st.depth() == 0) throw r.reject("pop: no slot above the stack variable " + st.tail.name());
        if (p.dst() instanceof Reg g) {
            r.dest(g);
            st.set(g, st.pop());
            return;
        }
        Mem m = (Mem) p.dst();
        if (m.base() == Reg.RSP) throw r.reject("pop into a stack slot is not supported");
        Value v = st.slot(0);
        if (v.junk()) throw r.reject("pop: the top slot is junk");
        st.pop();
        mem.write(mem.resolve(m, QWORD), v);
    }
}
