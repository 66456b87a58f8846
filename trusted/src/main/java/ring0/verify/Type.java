package ring0.verify;

import java.util.List;

/**
 * The types of ring0's typed assembly language (docs/types.md §2). A type
 * describes one 64-bit word: a register, a stack slot, a record field or an
 * array element. Types are immutable; named types are resolved through a
 * {@link TypeEnv}.
 */
public sealed interface Type {

    /** {@code int}: any 64-bit word; no pointer can be made from it. */
    record Int() implements Type {}

    /** {@code =n}: exactly the word {@code n}. */
    record Single(long value) implements Type {}

    /** {@code bytes}: pointer to a length word {@code n} followed by {@code n} bytes. */
    record Bytes() implements Type {}

    /** {@code [t]}: pointer to a length word {@code n} followed by {@code n} words of type {@code t}. */
    record Arr(Type elem) implements Type {}

    /** {@code {f0, f1, ...}}: pointer to a record of words; field {@code i} at offset {@code 8i}. */
    record Rec(List<Field> fields) implements Type {
        public Rec { fields = List.copyOf(fields); }
    }

    /**
     * A record field.
     *
     * @param type the type the field holds (fixed at allocation)
     * @param init true if the field is known to be initialized ({@code t}), false for {@code ~t}
     */
    record Field(Type type, boolean init) {}

    /** {@code t?}: a {@code t} or null (0); {@code t} is a pointer type. */
    record Opt(Type inner) implements Type {}

    /**
     * {@code code{P}}: pointer to code whose precondition is {@code pre}, universally
     * quantified over {@code params}.
     */
    record Code(List<TVar> params, Pre pre) implements Type {
        public Code { params = List.copyOf(params); }
    }

    /** {@code exists a. t}. */
    record Exists(TVar var, Type body) implements Type {}

    /** A type variable. */
    record Var(TVar var) implements Type {}

    /** {@code NAME}: a named type, equal to its definition. */
    record Named(String name) implements Type {}

    /** {@code t1 + t2 + ...}: records told apart by the singleton type of field 0. */
    record Sum(List<Type> variants) implements Type {
        public Sum { variants = List.copyOf(variants); }
    }

    /** {@code junk}: a stack slot (or register) with no usable value. Only as a stack slot in text. */
    record Junk() implements Type {}

    /** The one {@code int}. */
    Int INT = new Int();
    /** The one {@code bytes}. */
    Bytes BYTES = new Bytes();
    /** The one {@code junk}. */
    Junk JUNK = new Junk();
}
