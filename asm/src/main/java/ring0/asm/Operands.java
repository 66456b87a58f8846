package ring0.asm;

import java.util.ArrayList;
import java.util.List;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/** Evaluates operands as written ({@link OperandSyntax}) into {@link Opnd}s. */
final class Operands {

    /** Resolves names written in the current scope. */
    interface Resolver extends Evaluator.Names {
        /** The label or import {@code written} names; reports and fails if there is none. */
        Target resolve(String written, int line, int col);
    }

    private final Reporter rep;
    private final Evaluator ev;
    private final Resolver res;

    Operands(Reporter rep, Evaluator ev, Resolver res) {
        this.rep = rep;
        this.ev = ev;
        this.res = res;
    }

    /** Evaluates the operands of one instruction on {@code line}. */
    List<Opnd> convert(List<OperandSyntax> ops, int line) {
        List<Opnd> out = new ArrayList<>(ops.size());
        for (OperandSyntax s : ops) out.add(s.memory() ? memory(s, line) : plain(s, line));
        return out;
    }

    private Opnd plain(OperandSyntax s, int line) {
        if (s.size() != null) throw rep.fail(line, s.col(), "size keywords apply only to memory operands");
        if (s.expr() instanceof Expr.Name n && !ev.isConstant(n.name())) {
            return new Opnd.L(n.name(), s.reach(), s.col(), s.text());
        }
        if (s.reach() != null) {
            throw rep.fail(line, s.col(), "'" + s.reach().name().toLowerCase() + "' applies only to a branch target label");
        }
        if (s.expr() instanceof Expr.RegRef r) return new Opnd.R(r.reg(), r.width(), s.col(), s.text());
        return new Opnd.I(ev.constant(s.expr(), line), s.col(), s.text());
    }

    private Reporter.Fail invalid(OperandSyntax s, int line, String why) {
        return rep.fail(line, s.col(), "invalid operand '" + s.text() + "': " + why);
    }

    private Opnd memory(OperandSyntax s, int line) {
        Linear l = ev.linear(s.expr(), line);
        List<Linear.NameTerm> names = new ArrayList<>();
        for (Linear.NameTerm t : l.names()) if (t.coeff() != 0) names.add(t);
        if (s.rel()) {
            if (!l.regs().isEmpty()) throw invalid(s, line, "[rel ...] cannot use registers");
            if (names.size() != 1 || names.getFirst().coeff() != 1) {
                throw invalid(s, line, "expected [rel label] or [rel label + constant]");
            }
            Linear.NameTerm t = names.getFirst();
            Target target = res.resolve(t.name(), line, t.col());
            return new Opnd.M(Mem.rip(0), s.size(), target, l.constant(), s.col(), s.text());
        }
        if (!names.isEmpty()) {
            String n = names.getFirst().name();
            if (n.equalsIgnoreCase("rip")) throw invalid(s, line, "write RIP-relative addresses as [rel label]");
            if (res.isAddress(n)) {
                throw invalid(s, line, "'" + n + "' is a label: address it RIP-relatively, as [rel " + n + "]");
            }
            throw rep.fail(line, names.getFirst().col(), "undefined symbol '" + n + "'");
        }
        List<Linear.RegTerm> regs = new ArrayList<>();
        for (Linear.RegTerm t : l.regs()) {
            if (t.width() != Width.QWORD) throw invalid(s, line, "address registers must be 64-bit");
            if (t.scale() == 0) continue;
            if (t.scale() < 0) throw invalid(s, line, "a register cannot be subtracted");
            long k = t.scale();
            if (k != 1 && k != 2 && k != 4 && k != 8) throw invalid(s, line, "scale must be 1, 2, 4 or 8");
            regs.add(t);
        }
        if (regs.isEmpty()) {
            throw invalid(s, line, "absolute addresses are not supported (the code is position-independent); "
                    + "use [rel label] or a base register");
        }
        if (regs.size() > 2) throw invalid(s, line, "at most two registers (base + index*scale)");
        Linear.RegTerm base;
        Linear.RegTerm index;
        if (regs.size() == 1) {
            Linear.RegTerm r = regs.getFirst();
            boolean isIndex = r.scale() != 1 || r.scaled();
            base = isIndex ? null : r;
            index = isIndex ? r : null;
        } else {
            Linear.RegTerm a = regs.get(0);
            Linear.RegTerm b = regs.get(1);
            if (a.scale() != 1 && b.scale() != 1) throw invalid(s, line, "only one register can be scaled");
            // the index is the scaled one, else the one written with '*1', else the second (unless it is rsp)
            boolean aIndex = a.scale() != 1 || a.scaled() && !(b.scale() != 1 || b.scaled());
            boolean swap = aIndex || b.reg() == Reg.RSP && !(b.scale() != 1 || b.scaled());
            base = swap ? b : a;
            index = swap ? a : b;
        }
        if (index != null && index.reg() == Reg.RSP) throw invalid(s, line, "rsp cannot be an index register");
        Reg baseReg = base == null ? null : base.reg();
        Reg indexReg = index == null ? null : index.reg();
        int scale = index == null ? 1 : (int) index.scale();
        if (!Width.DWORD.fitsSigned(l.constant())) {
            throw invalid(s, line, "displacement " + l.constant() + " does not fit 32 bits");
        }
        return new Opnd.M(new Mem(baseReg, indexReg, scale, (int) l.constant(), false), s.size(), null, 0, s.col(), s.text());
    }
}
