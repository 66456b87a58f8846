package ring0.verify;

/**
 * What the checker knows about one register or stack slot: a type and the term
 * naming the value (shared by copies). A value of singleton type {@code =n}
 * always has the term {@code Const(n)}. {@link #JUNK} holds nothing usable.
 */
record Value(Type type, Term term) {
    static final Value JUNK = new Value(Type.JUNK, null);

    Value {
        if (type instanceof Type.Single s) term = new Term.Const(s.value());
    }

    /** The constant {@code n}, of type {@code =n}. */
    static Value constant(long n) {
        return new Value(new Type.Single(n), null);
    }

    boolean junk() {
        return type instanceof Type.Junk;
    }
}
