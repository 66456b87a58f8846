package ring0.asm;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Instruction selection: a mnemonic and evaluated operands become one
 * {@link Insn} of the model (wrapped in a {@link TextItem}), or a precise error.
 */
final class Mnemonics {
    private final Reporter rep;
    private final Operands.Resolver res;

    private int line;
    private int col;
    private String mnemonic;

    Mnemonics(Reporter rep, Operands.Resolver res) {
        this.rep = rep;
        this.res = res;
    }

    /** Selects the instruction for {@code st} with operands {@code ops}. */
    TextItem select(Stmt.Instruction st, List<Opnd> ops) {
        line = st.line();
        col = st.col();
        mnemonic = st.mnemonic().toLowerCase(Locale.ROOT);
        return switch (mnemonic) {
            case "mov" -> mov(ops);
            case "movzx", "movsx", "movsxd" -> movx(ops);
            case "lea" -> lea(ops);
            case "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" -> alu(ops);
            case "test" -> test(ops);
            case "inc", "dec", "not", "neg" -> unary(ops);
            case "imul" -> imul(ops);
            case "mul", "div", "idiv" -> mulDiv(ops);
            case "cdq", "cqo" -> {
                arity(ops, 0);
                yield plain(new Insn.SignExtend(mnemonic.equals("cdq") ? Width.DWORD : Width.QWORD));
            }
            case "shl", "sal", "shr", "sar" -> shift(ops);
            case "jmp" -> jmp(ops);
            case "call" -> call(ops);
            case "ret" -> {
                arity(ops, 0);
                yield plain(new Insn.Ret());
            }
            case "push" -> push(ops);
            case "pop" -> pop(ops);
            case "nop" -> {
                arity(ops, 0);
                yield plain(new Insn.Nop());
            }
            default -> conditional(st, ops);
        };
    }

    private TextItem conditional(Stmt.Instruction st, List<Opnd> ops) {
        Cond c;
        if (mnemonic.startsWith("j") && (c = Cond.parse(mnemonic.substring(1))) != null) return jcc(c, ops);
        if (mnemonic.startsWith("cmov") && (c = Cond.parse(mnemonic.substring(4))) != null) return cmov(c, ops);
        if (mnemonic.startsWith("set") && (c = Cond.parse(mnemonic.substring(3))) != null) return setcc(c, ops);
        throw rep.fail(line, col, "unknown mnemonic '" + st.mnemonic() + "'");
    }

    // ---- helpers ----

    private Reporter.Fail fail(Opnd o, String message) {
        return rep.fail(line, o.col(), message);
    }

    private Reporter.Fail fail(String message) {
        return rep.fail(line, col, message);
    }

    private void arity(List<Opnd> ops, int n) {
        if (ops.size() != n) {
            throw fail("'" + mnemonic + "' takes " + switch (n) {
                case 0 -> "no operands";
                case 1 -> "1 operand";
                default -> n + " operands";
            });
        }
    }

    /** The model instruction, or a diagnostic if the model rejects it (a safety net; checks come first). */
    private TextItem item(Supplier<Insn> make, List<Opnd> ops) {
        Insn insn;
        try {
            insn = make.get();
        } catch (IllegalArgumentException e) {
            throw fail("invalid instruction: " + e.getMessage());
        }
        for (Opnd o : ops) {
            if (o instanceof Opnd.M m && m.rip() != null) return new TextItem.RipRef(insn, m.rip(), m.addend(), line, col);
        }
        return new TextItem.Plain(insn, line, col);
    }

    private TextItem plain(Insn insn) {
        return new TextItem.Plain(insn, line, col);
    }

    /** A register or memory operand. */
    private Operand rm(Opnd o) {
        return switch (o) {
            case Opnd.R r -> r.reg();
            case Opnd.M m -> m.mem();
            case Opnd.I i -> throw fail(i, "expected a register or memory operand, found immediate '" + i.text() + "'");
            case Opnd.L l -> throw notData(l);
        };
    }

    private Reg reg(Opnd o, String what) {
        if (o instanceof Opnd.R r) return r.reg();
        if (o instanceof Opnd.L l && !res.isAddress(l.name())) throw notData(l);
        throw fail(o, "'" + mnemonic + "' needs " + what);
    }

    private Reporter.Fail notData(Opnd.L l) {
        if (res.isAddress(l.name())) {
            return fail(l, "'" + l.name() + "' is an address, not a constant: the code is position-independent "
                    + "(use lea reg, [rel " + l.name() + "], or [rel " + l.name() + "] to access memory there)");
        }
        return fail(l, "undefined symbol '" + l.name() + "'");
    }

    private static Width sizeOf(Opnd o) {
        return switch (o) {
            case Opnd.R r -> r.width();
            case Opnd.M m -> m.size();
            case Opnd.I i -> null;
            case Opnd.L l -> null;
        };
    }

    /** The operation size fixed by the register and sized-memory operands, which must agree. */
    private Width width(Opnd... ops) {
        Width w = null;
        Opnd by = null;
        for (Opnd o : ops) {
            Width ow = sizeOf(o);
            if (ow == null) continue;
            if (w == null) {
                w = ow;
                by = o;
            } else if (ow != w) {
                throw fail(o, "operand size mismatch: '" + by.text() + "' is " + w.keyword() + " but '" + o.text()
                        + "' is " + ow.keyword());
            }
        }
        if (w != null) return w;
        for (Opnd o : ops) if (o instanceof Opnd.M m) throw fail(m, "operation size not specified");
        throw fail("operation size not specified");
    }

    /** A memory operand's size keyword must be absent or {@code w} (for operations with a fixed size). */
    private void fixedSize(Opnd o, Width w) {
        Width s = sizeOf(o);
        if (s != null && s != w) {
            throw fail(o, "'" + mnemonic + "' needs a " + w.keyword() + " operand, but '" + o.text() + "' is " + s.keyword());
        }
    }

    private static String show(Opnd.I i) {
        long v = i.value();
        return v < 0 && !i.text().contains("-") ? Long.toUnsignedString(v) : Long.toString(v);
    }

    /** The canonical immediate for width {@code w} (QWORD: a sign-extended 32-bit value). */
    private long immediate(Width w, Opnd.I i) {
        if (w == Width.QWORD) {
            if (!Width.DWORD.fitsSigned(i.value())) {
                throw fail(i, "immediate " + show(i) + " does not fit qword (a sign-extended 32-bit immediate)");
            }
            return i.value();
        }
        Long c = Imm.canonical(w, i.value());
        if (c == null) throw fail(i, "immediate " + show(i) + " does not fit " + w.keyword());
        return c;
    }

    private void noTwoMemory(Opnd dst, Opnd src) {
        if (dst instanceof Opnd.M && src instanceof Opnd.M) throw fail(src, "two memory operands");
    }

    private void notImmediateDestination(Opnd dst) {
        if (dst instanceof Opnd.I) throw fail(dst, "the destination cannot be an immediate");
    }

    /** The source of a two-operand instruction: register, memory or immediate (fitted to {@code w}). */
    private Operand source(Opnd src, Width w) {
        return switch (src) {
            case Opnd.I i -> new Imm(immediate(w, i));
            case Opnd.L l -> throw notData(l);
            default -> rm(src);
        };
    }

    // ---- instruction forms ----

    private TextItem mov(List<Opnd> ops) {
        arity(ops, 2);
        Opnd dst = ops.get(0);
        Opnd src = ops.get(1);
        notImmediateDestination(dst);
        noTwoMemory(dst, src);
        Width w = width(dst, src);
        Operand d = rm(dst);
        Operand s = (src instanceof Opnd.I i && w == Width.QWORD && dst instanceof Opnd.R)
                ? new Imm(i.value()) : source(src, w);
        return item(() -> new Insn.Mov(w, d, s), ops);
    }

    private TextItem movx(List<Opnd> ops) {
        arity(ops, 2);
        Reg d = reg(ops.get(0), "a destination register");
        Width dw = sizeOf(ops.get(0));
        Opnd src = ops.get(1);
        Operand s = rm(src);
        Width sw = sizeOf(src);
        if (sw == null) {
            if (!mnemonic.equals("movsxd")) throw fail(src, "operation size not specified");
            sw = Width.DWORD;
        }
        boolean signed = !mnemonic.equals("movzx");
        if (mnemonic.equals("movsxd") && (sw != Width.DWORD || dw != Width.QWORD)) {
            throw fail("movsxd needs a 64-bit destination and a 32-bit source");
        }
        if (!signed && sw == Width.DWORD) {
            throw fail("movzx has no 32-bit source form: a 32-bit mov already zero-extends to 64 bits");
        }
        boolean ok = switch (sw) {
            case BYTE -> dw != Width.BYTE;
            case WORD -> dw == Width.DWORD || dw == Width.QWORD;
            case DWORD -> dw == Width.QWORD;
            case QWORD -> false;
        };
        if (!ok) throw fail("'" + mnemonic + "' cannot extend " + sw.keyword() + " to " + dw.keyword());
        Width fsw = sw;
        return item(() -> new Insn.Movx(dw, d, fsw, s, signed), ops);
    }

    private TextItem lea(List<Opnd> ops) {
        arity(ops, 2);
        Reg d = reg(ops.get(0), "a destination register");
        Width w = sizeOf(ops.get(0));
        if (w != Width.DWORD && w != Width.QWORD) throw fail(ops.get(0), "lea needs a 32 or 64-bit destination register");
        if (!(ops.get(1) instanceof Opnd.M m)) throw fail(ops.get(1), "lea needs a memory operand");
        return item(() -> new Insn.Lea(w, d, m.mem()), ops);
    }

    private TextItem alu(List<Opnd> ops) {
        arity(ops, 2);
        Opnd dst = ops.get(0);
        Opnd src = ops.get(1);
        notImmediateDestination(dst);
        noTwoMemory(dst, src);
        Width w = width(dst, src);
        Operand d = rm(dst);
        Operand s = source(src, w);
        Insn.AluOp op = Insn.AluOp.valueOf(mnemonic.toUpperCase(Locale.ROOT));
        return item(() -> new Insn.Alu(op, w, d, s), ops);
    }

    private TextItem test(List<Opnd> ops) {
        arity(ops, 2);
        Opnd dst = ops.get(0);
        Opnd src = ops.get(1);
        if (dst instanceof Opnd.R && src instanceof Opnd.M) {
            dst = ops.get(1);
            src = ops.get(0);
        }
        notImmediateDestination(dst);
        noTwoMemory(dst, src);
        Width w = width(dst, src);
        Operand d = rm(dst);
        Operand s = source(src, w);
        return item(() -> new Insn.Test(w, d, s), ops);
    }

    private TextItem unary(List<Opnd> ops) {
        arity(ops, 1);
        Operand d = rm(ops.get(0));
        Width w = width(ops.get(0));
        Insn.UnaryOp op = Insn.UnaryOp.valueOf(mnemonic.toUpperCase(Locale.ROOT));
        return item(() -> new Insn.Unary(op, w, d), ops);
    }

    private TextItem mulDiv(List<Opnd> ops) {
        arity(ops, 1);
        Operand s = rm(ops.get(0));
        Width w = width(ops.get(0));
        Insn.MulDivOp op = Insn.MulDivOp.valueOf(mnemonic.toUpperCase(Locale.ROOT));
        return item(() -> new Insn.MulDiv(op, w, s), ops);
    }

    private TextItem imul(List<Opnd> ops) {
        if (ops.size() == 1) return mulDiv(ops);
        if (ops.size() != 2 && ops.size() != 3) throw fail("'imul' takes 1, 2 or 3 operands");
        Reg d = reg(ops.get(0), "a destination register");
        Opnd src = ops.get(1);
        Width w = width(ops.get(0), src);
        if (w == Width.BYTE) throw fail("imul with two or three operands needs 16, 32 or 64-bit operands");
        if (ops.size() == 2 && src instanceof Opnd.I i) {
            long imm = immediate(w, i);
            return item(() -> new Insn.Imul3(w, d, d, imm), ops);
        }
        Operand s = rm(src);
        if (ops.size() == 2) return item(() -> new Insn.Imul2(w, d, s), ops);
        if (!(ops.get(2) instanceof Opnd.I i)) throw fail(ops.get(2), "the third operand of imul must be an immediate");
        long imm = immediate(w, i);
        return item(() -> new Insn.Imul3(w, d, s, imm), ops);
    }

    private TextItem shift(List<Opnd> ops) {
        arity(ops, 2);
        Opnd dst = ops.get(0);
        Operand d = rm(dst);
        Width w = width(dst);
        Operand count = switch (ops.get(1)) {
            case Opnd.I i -> {
                if (i.value() < 0 || i.value() > 255) throw fail(i, "shift count " + show(i) + " is out of range 0..255");
                yield new Imm(i.value());
            }
            case Opnd.R r when r.reg() == Reg.RCX && r.width() == Width.BYTE -> Reg.RCX;
            default -> throw fail(ops.get(1), "the shift count must be an immediate or cl");
        };
        Insn.ShiftOp op = switch (mnemonic) {
            case "shr" -> Insn.ShiftOp.SHR;
            case "sar" -> Insn.ShiftOp.SAR;
            default -> Insn.ShiftOp.SHL;
        };
        return item(() -> new Insn.Shift(op, w, d, count), ops);
    }

    private TextItem cmov(Cond c, List<Opnd> ops) {
        arity(ops, 2);
        Reg d = reg(ops.get(0), "a destination register");
        Width w = width(ops.get(0), ops.get(1));
        Operand s = rm(ops.get(1));
        if (w == Width.BYTE) throw fail("cmov needs 16, 32 or 64-bit operands");
        return item(() -> new Insn.Cmov(c, w, d, s), ops);
    }

    private TextItem setcc(Cond c, List<Opnd> ops) {
        arity(ops, 1);
        Opnd dst = ops.get(0);
        Operand d = rm(dst);
        fixedSize(dst, Width.BYTE);
        return item(() -> new Insn.Setcc(c, d), ops);
    }

    private Target branchTarget(Opnd.L l) {
        Target t = res.resolve(l.name(), line, l.col());
        return switch (t.kind()) {
            case TEXT -> t;
            case DATA -> throw fail(l, "branch target '" + l.name() + "' is a data label, not code");
            case IMPORT -> throw fail(l, "'" + l.name() + "' is an import: call it through its slot, "
                    + "call [rel " + l.name() + "]");
        };
    }

    private TextItem jcc(Cond c, List<Opnd> ops) {
        arity(ops, 1);
        if (!(ops.getFirst() instanceof Opnd.L l)) throw fail(ops.getFirst(), "conditional jumps take a label");
        return new TextItem.Branch(c, branchTarget(l), l.reach(), line, col);
    }

    /** The operand of an indirect jmp or call: a 64-bit register or a qword in memory. */
    private Operand indirect(Opnd o) {
        if (o instanceof Opnd.I) throw fail(o, "a branch target must be a label, a register or a memory operand");
        if (o instanceof Opnd.R r && r.width() != Width.QWORD) {
            throw fail(o, "an indirect '" + mnemonic + "' needs a 64-bit register");
        }
        fixedSize(o, Width.QWORD);
        return rm(o);
    }

    private TextItem jmp(List<Opnd> ops) {
        arity(ops, 1);
        if (ops.getFirst() instanceof Opnd.L l) return new TextItem.Branch(null, branchTarget(l), l.reach(), line, col);
        Operand t = indirect(ops.getFirst());
        return item(() -> new Insn.JmpInd(t), ops);
    }

    private TextItem call(List<Opnd> ops) {
        arity(ops, 1);
        if (ops.getFirst() instanceof Opnd.L l) {
            if (l.reach() == OperandSyntax.Reach.SHORT) throw fail(l, "call has no short form");
            return new TextItem.CallRel(branchTarget(l), line, col);
        }
        Operand t = indirect(ops.getFirst());
        return item(() -> new Insn.CallInd(t), ops);
    }

    private TextItem push(List<Opnd> ops) {
        arity(ops, 1);
        Opnd o = ops.getFirst();
        if (o instanceof Opnd.I i) {
            if (!Width.DWORD.fitsSigned(i.value())) {
                throw fail(i, "immediate " + show(i) + " does not fit a sign-extended 32-bit immediate");
            }
            return item(() -> new Insn.Push(new Imm(i.value())), ops);
        }
        Operand s = stackOperand(o);
        return item(() -> new Insn.Push(s), ops);
    }

    private TextItem pop(List<Opnd> ops) {
        arity(ops, 1);
        Operand d = stackOperand(ops.getFirst());
        return item(() -> new Insn.Pop(d), ops);
    }

    private Operand stackOperand(Opnd o) {
        if (o instanceof Opnd.R r && r.width() != Width.QWORD) throw fail(o, "'" + mnemonic + "' needs a 64-bit register");
        fixedSize(o, Width.QWORD);
        return rm(o);
    }
}
