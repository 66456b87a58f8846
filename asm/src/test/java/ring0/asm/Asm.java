package ring0.asm;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import ring0.isa.Cond;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Helpers for front-end tests: assemble, collect diagnostics, compare code.
 * {@link #ok} and {@link #errors} assemble untyped (the syntax tests need no
 * preconditions); {@link #typed} and {@link #typedErrors} assemble typed.
 */
final class Asm {
    private Asm() {}

    static final String FILE = "t.tal";
    /** Size of the stop block at offset 0. */
    static final int STOP_BLOCK = 8;

    /** Assembles {@code source} as an untyped program, failing the test on errors. */
    static Program ok(String source) {
        return assemble(source, true);
    }

    /** Assembles {@code source} as a typed program, failing the test on errors. */
    static Program typed(String source) {
        return assemble(source, false);
    }

    private static Program assemble(String source, boolean untyped) {
        try {
            return Assembler.assemble(source, FILE, untyped);
        } catch (AsmException e) {
            return fail("unexpected errors:\n" + e.getMessage());
        }
    }

    /** Assembles {@code source} as untyped, which must fail; returns the diagnostics as printed. */
    static List<String> errors(String source) {
        return errors(source, true);
    }

    /** Assembles {@code source} as typed, which must fail; returns the diagnostics as printed. */
    static List<String> typedErrors(String source) {
        return errors(source, false);
    }

    private static List<String> errors(String source, boolean untyped) {
        try {
            Assembler.assemble(source, FILE, untyped);
        } catch (AsmException e) {
            return e.diagnostics().stream().map(Diagnostic::toString).toList();
        }
        return fail("expected errors, but it assembled:\n" + source);
    }

    /**
     * The code of {@code body} after {@code main:} (main is on line 1, body
     * from line 2): the text after the stop block and main's poll.
     */
    static byte[] text(String body) {
        return body(main(body));
    }

    /** The untyped program {@code main:} followed by {@code body}. */
    static Program main(String body) {
        return ok("main:\n" + body + "\n");
    }

    /** The text of {@code p} after the stop block and the poll of the label at offset 8. */
    static byte[] body(Program p) {
        return Arrays.copyOfRange(p.text(), STOP_BLOCK + poll(p, STOP_BLOCK).length, p.text().length);
    }

    /** The bytes of the poll that starts the label at image offset {@code at} of {@code p}. */
    static byte[] poll(Program p, int at) {
        int cmpLength = Encoder.length(new Insn.Alu(Insn.AluOp.CMP, Width.QWORD, Reg.RSP, Mem.rip(0)));
        Insn cmp = new Insn.Alu(Insn.AluOp.CMP, Width.QWORD, Reg.RSP, Mem.rip(p.limitOffset() - (at + cmpLength)));
        int end8 = at + cmpLength + 2;
        Insn jbe = end8 <= 128 ? new Insn.Jcc(Cond.BE, -end8, true) : new Insn.Jcc(Cond.BE, -(end8 + 4), false);
        return code(cmp, jbe);
    }

    /** The bytes of the poll of label {@code name} of {@code p}. */
    static byte[] poll(Program p, String name) {
        return poll(p, symbol(p, name).imageOffset());
    }

    /** The stop block of {@code p}: {@code call [rel stop]}, {@code jmp} back to offset 0. */
    static byte[] stopBlock(Program p) {
        return code(new Insn.CallInd(Mem.rip(p.slotOffset(p.imports().indexOf(ring0.abi.Service.STOP)) - 6)),
                new Insn.Jmp(-8, true));
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
