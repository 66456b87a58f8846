package ring0.isa;

/**
 * An instruction operand: a register, an immediate or a memory reference.
 * The operand size is a property of the instruction ({@link Width}), not of
 * the operand, so {@code al} and {@code rax} are both {@link Reg#RAX} at
 * different widths.
 */
public sealed interface Operand permits Reg, Imm, Mem {}
