package ring0.asm;

import ring0.isa.Reg;
import ring0.isa.Width;

/** An expression as written: in an immediate, a displacement, a data item or an {@code equ}. */
sealed interface Expr {

    /** 1-based column where the expression (or its operator) is written. */
    int col();

    /** An integer or character literal. */
    record Num(long value, int col) implements Expr {}

    /** A name: an {@code equ} constant, a label or an import. */
    record Name(String name, int col) implements Expr {}

    /** A register, allowed only alone as an operand or inside a memory operand. */
    record RegRef(Reg reg, Width width, int col) implements Expr {}

    /** Unary {@code -}, {@code +} or {@code ~}. */
    record Unary(char op, Expr operand, int col) implements Expr {}

    /** Binary operator: {@code + - * / % << >> & | ^}. */
    record Binary(String op, Expr left, Expr right, int col) implements Expr {}
}
