package ring0.isa;

/**
 * One instruction accepted by the {@link Decoder}.
 *
 * @param insn   the instruction
 * @param length its encoded length in bytes (1..15)
 */
public record Decoded(Insn insn, int length) {}
