package ring0.asm;

import ring0.isa.Cond;
import ring0.isa.Insn;

/** One instruction of {@code .text}, before layout has fixed label-relative values. */
sealed interface TextItem {

    int line();

    int col();

    /** An instruction that does not depend on layout. */
    record Plain(Insn insn, int line, int col) implements TextItem {}

    /** An instruction with a RIP-relative memory operand to {@code target + addend}; {@code insn} has disp 0. */
    record RipRef(Insn insn, Target target, long addend, int line, int col) implements TextItem {}

    /** {@code jmp} ({@code cond == null}) or {@code jcc} to a code label. */
    record Branch(Cond cond, Target target, OperandSyntax.Reach reach, int line, int col) implements TextItem {}

    /** {@code call} to a code label. */
    record CallRel(Target target, int line, int col) implements TextItem {}
}
