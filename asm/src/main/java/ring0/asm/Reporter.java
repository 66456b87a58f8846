package ring0.asm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the diagnostics of one assembly run. */
final class Reporter {
    /** More errors than this are summarised in a final diagnostic. */
    static final int MAX_ERRORS = 100;

    private final String file;
    private final List<Diagnostic> errors = new ArrayList<>();
    private int dropped;

    Reporter(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    /** Records an error at {@code line:col}. */
    void error(int line, int col, String message) {
        if (errors.size() < MAX_ERRORS) errors.add(new Diagnostic(file, line, col, message));
        else dropped++;
    }

    /** Records an error and returns an exception that abandons the current statement. */
    Fail fail(int line, int col, String message) {
        error(line, col, message);
        return Fail.INSTANCE;
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws the collected errors, sorted by position, if there are any. */
    void throwIfErrors() throws AsmException {
        if (errors.isEmpty()) return;
        List<Diagnostic> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        if (dropped > 0) {
            Diagnostic last = sorted.getLast();
            sorted.add(new Diagnostic(file, last.line(), last.column(),
                    dropped + " more error" + (dropped == 1 ? "" : "s") + " not shown"));
        }
        throw new AsmException(sorted);
    }

    /**
     * Abandons the statement being processed; the reason has already been
     * reported. Internal control flow only: always caught inside the assembler.
     */
    static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Fail INSTANCE = new Fail();

        private Fail() {
            super("statement abandoned", null, false, false);
        }
    }
}
