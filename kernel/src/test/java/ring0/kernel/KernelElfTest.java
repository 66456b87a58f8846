package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.kernel.fs.StdStreams;

/** The facade's way in: verification first, refusal with the checker's diagnostic, and --unverified. */
class KernelElfTest {
    /** hello.tal with one more byte in the count than the array holds: the checker must reject it. */
    static final String OVERRUN = """
            import write
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                mov edi, 1
                lea rsi, [rel msg]
                mov rdx, [rsi]
                add rdx, 1
                call [rel write]
                neg rax
                add rsp, 8
                ret
            section .data
            msg: bytes "hi", 10
            """;

    record Ran(Exit exit, String out, String diagnostics) {}

    static Ran run(byte[] elf, boolean unverified) throws Exception {
        Path root = Files.createTempDirectory("ring0-elf");
        var out = new ByteArrayOutputStream();
        var diag = new ByteArrayOutputStream();
        var opts = Kernel.Options.defaults().withUnverified(unverified)
                .withStd(new StdStreams(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()))
                .withDiagnostics(new PrintStream(diag, true, StandardCharsets.UTF_8));
        try (Kernel k = new Kernel(root, opts)) {
            Exit e = k.run(elf, "overrun", List.of());
            return new Ran(e, out.toString(StandardCharsets.UTF_8), diag.toString(StandardCharsets.UTF_8));
        } finally {
            Files.delete(root);
        }
    }

    static byte[] overrun() throws Exception {
        return ElfWriter.write(Assembler.assemble(OVERRUN, "overrun.tal"));
    }

    @Test
    void anIllTypedProgramIsRefusedWithTheCheckersDiagnostic() throws Exception {
        Ran r = run(overrun(), false);
        assertThat(r.exit().how()).isEqualTo(Exit.How.NOT_RUN);
        assertThat(r.exit().status()).isEqualTo(126);
        assertThat(r.exit().message()).startsWith("overrun:0x").contains("<main+").contains("call to write: fact not proven: rdx <= len(rsi)");
        assertThat(r.out()).isEmpty();
        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void unverifiedModeRunsItWithALoudWarningAndTheRunTimeChecksStillHold() throws Exception {
        Ran r = run(overrun(), true);
        assertThat(r.diagnostics()).startsWith("ring0: WARNING: overrun runs UNVERIFIED in kernel mode")
                .contains("fact not proven: rdx <= len(rsi)");
        // the kernel still checks the count against the length word at run time: -EFAULT, nothing written
        assertThat(r.exit()).isEqualTo(new Exit(14, Exit.How.RETURNED, null));
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMalformedFileIsRefusedEvenWhenUnverified() throws Exception {
        for (boolean unverified : new boolean[] {false, true}) {
            Ran r = run("not an ELF file".getBytes(StandardCharsets.US_ASCII), unverified);
            assertThat(r.exit().how()).isEqualTo(Exit.How.NOT_RUN);
            assertThat(r.exit().message()).contains("malformed ELF file");
            assertThat(r.diagnostics()).isEmpty();
        }
    }
}
