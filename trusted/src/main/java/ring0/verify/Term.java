package ring0.verify;

/**
 * A symbolic value in the checker's abstract state (docs/types.md §4). Terms
 * name immutable values, never locations: a register that is written gets a new
 * term, so a fact about a term stays true for the rest of the region.
 */
sealed interface Term {
    /** An unknown value, identified by a number unique within one check. */
    record Sym(long id) implements Term {}

    /** A known constant. */
    record Const(long value) implements Term {}

    /** The length word of the array (or byte array) {@code base} (immutable). */
    record Len(Term base) implements Term {}

    /** Field 0 of the sum-typed record {@code base}: its tag (immutable). */
    record Tag(Term base) implements Term {}

    /**
     * What {@code cqo} ({@code dword == false}) or {@code cdq} ({@code dword == true})
     * puts in rdx: the sign extension of {@code of}.
     */
    record Sign(Term of, boolean dword) implements Term {}

    /** The constant 0. */
    Const ZERO = new Const(0);
}
