package ring0.isa;

/** Operand checks shared by the {@link Insn} constructors. */
final class Checks {
    private Checks() {}

    // Fixed-arity overloads: the decoder constructs a record per instruction, and
    // varargs would allocate an array each time.
    static void nonNull(Object a) {
        if (a == null) throw new IllegalArgumentException("missing operand or width");
    }

    static void nonNull(Object a, Object b) { nonNull(a); nonNull(b); }

    static void nonNull(Object a, Object b, Object c) { nonNull(a); nonNull(b); nonNull(c); }

    static void nonNull(Object a, Object b, Object c, Object d) { nonNull(a, b); nonNull(c, d); }

    static void notImm(Operand o) {
        if (o instanceof Imm) throw new IllegalArgumentException("immediate not allowed here");
    }

    static void notBoth(Operand a, Operand b) {
        if (a instanceof Mem && b instanceof Mem) throw new IllegalArgumentException("two memory operands");
    }

    static void width(Width w, Width a, Width b) {
        if (w != a && w != b) throw new IllegalArgumentException("width " + w + " not allowed");
    }

    /** Widths of 16 bits or more. */
    static void notByte(Width w) {
        if (w == Width.BYTE) throw new IllegalArgumentException("width " + w + " not allowed");
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
