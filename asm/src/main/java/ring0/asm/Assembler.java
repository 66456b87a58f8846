package ring0.asm;

import java.util.List;
import java.util.Objects;

/**
 * The ring0 assembler: turns ring0 assembly source (NASM-like Intel syntax,
 * see {@code docs/language.md}) into a {@link Program} image.
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
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fileName, "fileName");
        Reporter rep = new Reporter(fileName);
        List<Stmt> statements = Parser.parse(source, rep);
        Lowering lowering = new Lowering(rep, statements);
        lowering.run();
        rep.throwIfErrors();
        Program program = Layout.run(fileName, lowering, rep);
        rep.throwIfErrors();
        return program;
    }
}
