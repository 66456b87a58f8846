package ring0.asm;

import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/** An instruction operand after evaluation: what instruction selection works on. */
sealed interface Opnd {

    /** 1-based column of the operand. */
    int col();

    /** The operand's source text. */
    String text();

    /** A register named at a width. */
    record R(Reg reg, Width width, int col, String text) implements Opnd {}

    /** An immediate, as evaluated (not yet fitted to a width). */
    record I(long value, int col, String text) implements Opnd {}

    /**
     * A memory operand. For RIP-relative operands {@code mem} has displacement 0
     * until layout, and {@code rip} names the target with {@code addend} added.
     *
     * @param size the size keyword written, or null
     */
    record M(Mem mem, Width size, Target rip, long addend, int col, String text) implements Opnd {}

    /** A bare name: a branch target (not yet resolved). */
    record L(String name, OperandSyntax.Reach reach, int col, String text) implements Opnd {}
}
