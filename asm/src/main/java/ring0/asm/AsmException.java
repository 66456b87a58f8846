package ring0.asm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The source text could not be assembled. Carries every error found (the
 * assembler does not stop at the first one), in source order.
 */
public final class AsmException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<Diagnostic> diagnostics;

    /**
     * @param diagnostics the errors, at least one
     */
    public AsmException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")), null, false, false);
        if (diagnostics.isEmpty()) throw new IllegalArgumentException("no diagnostics");
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** The errors, in source order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
