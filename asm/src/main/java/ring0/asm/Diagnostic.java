package ring0.asm;

/**
 * One error found in an assembly source, with its location.
 *
 * @param file    source file name, as given to {@link Assembler#assemble}
 * @param line    1-based line number
 * @param column  1-based column (in characters; a tab counts as one)
 * @param message what is wrong, without location or severity
 */
public record Diagnostic(String file, int line, int column, String message) {

    /** Formats the diagnostic as {@code file:line:column: error: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": error: " + message;
    }
}
