package ring0.verify;

import ring0.isa.Reg;

/**
 * A coercion annotation (docs/types.md §8): changes the type of a register at an
 * instruction offset without producing code.
 */
public sealed interface Coercion {

    /** {@code unpack r}: open the existential package in {@code r} with a fresh type variable. */
    record Unpack(Reg reg) implements Coercion {}

    /** {@code pack r as t}: hide part of {@code r}'s type; {@code target} unfolds to {@link Type.Exists}. */
    record Pack(Reg reg, Type target) implements Coercion {}

    /** {@code as r : t}: forget precision; {@code r}'s type must be a subtype of {@code type}. */
    record As(Reg reg, Type type) implements Coercion {}

    /** {@code alloc t}: the next instruction, {@code call [rel alloc]}, allocates a record of type {@code rec}. */
    record Alloc(Type.Rec rec) implements Coercion {}
}
