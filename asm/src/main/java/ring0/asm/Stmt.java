package ring0.asm;

import java.util.List;

/** One statement of the source, as parsed. Every statement knows its 1-based line and column. */
sealed interface Stmt {

    int line();

    int col();

    /** {@code name:} */
    record Label(String name, int line, int col) implements Stmt {}

    /** {@code {text}} after the label just before it; line/col locate the first character of {@code text}. */
    record Precondition(String text, int line, int col) implements Stmt {}

    /** {@code type NAME = text}; line/col locate the first character of {@code text}. */
    record TypeDecl(String name, String text, int line, int col) implements Stmt {}

    /** {@code %text}; line/col locate the first character of {@code text}. */
    record Coercion(String text, int line, int col) implements Stmt {}

    /** {@code NAME equ expr}. */
    record Equ(String name, Expr expr, int line, int col) implements Stmt {}

    /** {@code section .text} or {@code section .data}; col locates the name. */
    record Section(String name, int line, int col) implements Stmt {}

    /** {@code import a, b, c}. */
    record Import(List<Ident> names, int line, int col) implements Stmt {}

    /** {@code entry label}; col locates the label name. */
    record Entry(String name, int line, int col) implements Stmt {}

    /** {@code untyped}: the program has no type annotations and gets no types section. */
    record Untyped(int line, int col) implements Stmt {}

    /** An instruction; col locates the mnemonic. */
    record Instruction(String mnemonic, List<OperandSyntax> operands, int line, int col) implements Stmt {}

    /** A data directive ({@code db}, {@code bytes}, {@code align}, ...); col locates the directive. */
    record Data(String directive, List<DataArg> args, int line, int col) implements Stmt {}

    /** A name and where it is written. */
    record Ident(String name, int col) {}

    /**
     * One item of a data directive: a string (then {@code expr} is null) or an expression
     * (then {@code string} is null).
     */
    record DataArg(byte[] string, Expr expr, int col) {}
}
