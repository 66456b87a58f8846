package ring0.isa;

/** Operand checks shared by the {@link Insn} constructors. */
final class Checks {
    private Checks() {}

    static void nonNull(Object... parts) {
        for (Object o : parts) if (o == null) throw new IllegalArgumentException("missing operand or width");
    }

    static void notImm(Operand o) {
        if (o instanceof Imm) throw new IllegalArgumentException("immediate not allowed here");
    }

    static void notBoth(Operand a, Operand b) {
        if (a instanceof Mem && b instanceof Mem) throw new IllegalArgumentException("two memory operands");
    }

    static void width(Width w, Width... allowed) {
        for (Width a : allowed) if (a == w) return;
        throw new IllegalArgumentException("width " + w + " not allowed");
    }

    /**
     * An immediate for an operation of width {@code w} must be in canonical form:
     * the signed value of its encoded bits, at most 32 bits wide (64-bit operations
     * take a sign-extended 32-bit immediate). See {@link Imm#canonical}.
     */
    static void imm(Width w, long v) {
        if (!(w == Width.QWORD ? Width.DWORD : w).fitsSigned(v)) {
            throw new IllegalArgumentException("immediate " + v + " does not fit " + w.keyword());
        }
    }
}
