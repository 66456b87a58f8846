package ring0.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ring0 check}: the checker's verdict, as text and as JSON, with meaningful exit codes. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            import write
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                    sub rsp, 8
                    mov edi, 1
                    lea rsi, [rel msg]
                    mov rdx, [rsi]
                    call [rel write]
                    xor eax, eax
                    add rsp, 8
                    ret
            section .data
            msg: bytes "hi", 10
            """;

    /** The same program with the length read from the wrong place: rdx is not proven <= len(rsi). */
    private static final String BAD = GOOD.replace("mov rdx, [rsi]", "mov edx, 100");

    private Path assemble(String name, String source, boolean untyped) throws Exception {
        Path src = Files.writeString(dir.resolve(name + ".tal"), source);
        Path exe = dir.resolve(name);
        Cli.Result r = untyped ? Cli.run("as", "--untyped", src.toString(), "-o", exe.toString())
                               : Cli.run("as", src.toString(), "-o", exe.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return exe;
    }

    @Test
    void acceptsAWellTypedProgram() throws Exception {
        Cli.Result r = Cli.run("check", assemble("good", GOOD, false).toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).matches("verified: \\d+ instructions, 1 labels, [0-9.]+ ms\\R");
    }

    @Test
    void rejectsAnIllTypedProgramWithWhereAndWhy() throws Exception {
        Cli.Result r = Cli.run("check", assemble("bad", BAD, false).toString());
        assertThat(r.status()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err()).startsWith("bad:0x").contains("<main+0x").contains("call [rel ");
    }

    @Test
    void jsonCarriesTheStructuredRejection() throws Exception {
        Cli.Result r = Cli.run("check", "--json", assemble("bad", BAD, false).toString());
        assertThat(r.status()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.out()).startsWith("{\"verified\":false,\"rejection\":{\"file\":\"bad\"")
                .contains("\"label\":\"main\"").contains("\"message\":");
        Cli.Result ok = Cli.run("check", "--json", assemble("good", GOOD, false).toString());
        assertThat(ok.out()).startsWith("{\"verified\":true");
    }

    @Test
    void refusesAnUntypedProgram() throws Exception {
        Cli.Result r = Cli.run("check", assemble("plain", GOOD, true).toString());
        assertThat(r.status()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err()).contains("not a typed program");
    }

    @Test
    void missingFileIsAUsageError() {
        Cli.Result r = Cli.run("check", dir.resolve("nope").toString());
        assertThat(r.status()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).doesNotContain("Exception");
    }
}
