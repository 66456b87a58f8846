package ring0.asm;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import ring0.isa.Insn;

/** Helpers for front-end tests: assemble, collect diagnostics, compare code. */
final class Asm {
    private Asm() {}

    static final String FILE = "t.tal";

    /** Assembles {@code source}, failing the test on errors. */
    static Program ok(String source) {
        try {
            return Assembler.assemble(source, FILE);
        } catch (AsmException e) {
            return fail("unexpected errors:\n" + e.getMessage());
        }
    }

    /** Assembles {@code source}, which must fail; returns the diagnostics as printed. */
    static List<String> errors(String source) {
        try {
            Assembler.assemble(source, FILE);
        } catch (AsmException e) {
            return e.diagnostics().stream().map(Diagnostic::toString).toList();
        }
        return fail("expected errors, but it assembled:\n" + source);
    }

    /** The text of {@code main:} followed by {@code body} (main is on line 1, body from line 2). */
    static byte[] text(String body) {
        return ok("main:\n" + body + "\n").text();
    }

    /** The machine code of {@code insns}, concatenated. */
    static byte[] code(Insn... insns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Insn i : insns) out.writeBytes(Encoder.encode(i));
        return out.toByteArray();
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** The symbol called {@code name}. */
    static Program.Symbol symbol(Program p, String name) {
        return p.symbols().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseGet(() -> fail("no symbol " + name + " in " + p.symbols()));
    }
}
