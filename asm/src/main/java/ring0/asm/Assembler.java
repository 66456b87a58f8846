package ring0.asm;

import java.util.List;
import java.util.Objects;

/**
 * The ring0 assembler: turns ring0 assembly source (NASM-like Intel syntax,
 * see {@code docs/language.md}) into a {@link Program} image, with the stop
 * block at offset 0, a poll at the start of every label, and, for a typed
 * program, the {@code .ring0.types} section the checker reads
 * ({@code docs/language.md} §13).
 *
 * <p>Untrusted: nothing it produces is believed without checking. Every
 * problem in the source is reported as an {@link AsmException} carrying
 * all the errors found, each with its file, line and column.
 */
public final class Assembler {
    private Assembler() {}

    /**
     * Assembles a source file.
     *
     * @param source   the source text
     * @param fileName the file name used in diagnostics and recorded in the program
     * @return the program image
     * @throws AsmException if the source has errors; it lists all of them
     */
    public static Program assemble(String source, String fileName) throws AsmException {
        return assemble(source, fileName, false);
    }

    /**
     * Assembles a source file, typed unless it says {@code untyped} or
     * {@code untyped} is true. A typed program gets a {@code .ring0.types}
     * section ({@link Program#types()}) and every text label must have a
     * precondition; an untyped one gets none, and its annotations are kept
     * but not checked. Both get the stop block and the polls.
     *
     * @param source   the source text
     * @param fileName the file name used in diagnostics and recorded in the program
     * @param untyped  true to assemble the program as untyped whatever it says
     * @return the program image
     * @throws AsmException if the source has errors; it lists all of them
     */
    public static Program assemble(String source, String fileName, boolean untyped) throws AsmException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fileName, "fileName");
        Reporter rep = new Reporter(fileName);
        List<Stmt> statements = Parser.parse(source, rep);
        Lowering lowering = new Lowering(rep, statements, untyped);
        lowering.run();
        rep.throwIfErrors();
        Program program = Layout.run(fileName, lowering, rep);
        rep.throwIfErrors();
        return program;
    }
}
