package ring0.verify;

import java.util.List;
import ring0.isa.Reg;

/**
 * A precondition {@code {reg: t, ... | stack ; facts}} (docs/types.md §3): the
 * types of the listed registers (all others are junk), the stack, and facts
 * between registers, constants and array lengths.
 *
 * @param regs  the listed registers in the order written, each at most once, never rsp
 * @param stack the stack, top first
 * @param facts facts that hold
 */
public record Pre(List<RegType> regs, StackT stack, List<PFact> facts) {
    public Pre {
        regs = List.copyOf(regs);
        facts = List.copyOf(facts);
    }

    /** The type of {@code r}, or {@code null} if it is not listed. */
    public Type reg(Reg r) {
        for (int i = 0; i < regs.size(); i++) if (regs.get(i).reg() == r) return regs.get(i).type();
        return null;
    }

    /** A listed register and its type. */
    public record RegType(Reg reg, Type type) {}

    /**
     * A stack type: {@code slots} (top first; a slot may be {@link Type.Junk}) above
     * the stack variable {@code tail}.
     */
    public record StackT(List<Type> slots, TVar tail) {
        public StackT { slots = List.copyOf(slots); }
    }

    /** Comparison operators of facts; all unsigned except the two signed ones. */
    public enum Rel {
        LT("<"), LE("<="), EQ("=="), NE("!="), SLT("<s"), SLE("<=s");

        /** The operator as written. */
        public final String text;

        Rel(String text) { this.text = text; }
    }

    /** A fact {@code a rel b} of a precondition. */
    public record PFact(PTerm a, Rel rel, PTerm b) {}

    /** A term of a fact: a register, a constant, or the length of an array register. */
    public sealed interface PTerm {
        /** The value of a register. */
        record OfReg(Reg reg) implements PTerm {}
        /** A constant. */
        record Num(long value) implements PTerm {}
        /** {@code len(reg)}: the length word of the array in {@code reg}. */
        record Len(Reg reg) implements PTerm {}
    }
}
