package ring0.asm;

import java.util.ArrayList;
import java.util.List;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * An expression reduced to {@code constant + Σ scale·register + Σ coeff·name},
 * the shape of an address. Arithmetic wraps modulo 2<sup>64</sup>.
 *
 * @param constant the constant part
 * @param regs     register terms, in the order written
 * @param names    terms naming labels or imports (never constants), in the order written
 */
record Linear(long constant, List<RegTerm> regs, List<NameTerm> names) {

    /**
     * {@code scale * reg}; {@code width} is the width the register was named at;
     * {@code scaled} is true if it was written multiplied (even by 1), which makes it the index.
     */
    record RegTerm(Reg reg, Width width, long scale, boolean scaled, int col) {}

    /** {@code coeff * name}. */
    record NameTerm(String name, long coeff, int col) {}

    static Linear of(long c) {
        return new Linear(c, List.of(), List.of());
    }

    boolean isConstant() {
        return regs.isEmpty() && names.isEmpty();
    }

    Linear plus(Linear o) {
        List<RegTerm> r = new ArrayList<>(regs);
        r.addAll(o.regs);
        List<NameTerm> n = new ArrayList<>(names);
        n.addAll(o.names);
        return new Linear(constant + o.constant, r, n);
    }

    Linear times(long k) {
        List<RegTerm> r = new ArrayList<>();
        for (RegTerm t : regs) r.add(new RegTerm(t.reg(), t.width(), t.scale() * k, t.scaled() || k != -1, t.col()));
        List<NameTerm> n = new ArrayList<>();
        for (NameTerm t : names) n.add(new NameTerm(t.name(), t.coeff() * k, t.col()));
        return new Linear(constant * k, r, n);
    }

    /** Column of the first non-constant term, for messages. */
    int firstTermCol() {
        int col = Integer.MAX_VALUE;
        for (RegTerm t : regs) col = Math.min(col, t.col());
        for (NameTerm t : names) col = Math.min(col, t.col());
        return col;
    }
}
