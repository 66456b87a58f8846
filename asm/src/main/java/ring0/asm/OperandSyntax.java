package ring0.asm;

import ring0.isa.Width;

/**
 * An instruction operand as written, before names are resolved.
 *
 * @param size   size keyword written before it ({@code byte}..{@code qword}), or null
 * @param reach  {@code short}/{@code near} written before a branch target, or null
 * @param memory true for a bracketed memory operand
 * @param rel    true for {@code [rel ...]}
 * @param expr   the expression (inside the brackets for memory operands)
 * @param col    1-based column of the operand's first character
 * @param text   the operand's source text, for messages
 */
record OperandSyntax(Width size, Reach reach, boolean memory, boolean rel, Expr expr, int col, String text) {

    /** Branch reach keywords. */
    enum Reach { SHORT, NEAR }
}
