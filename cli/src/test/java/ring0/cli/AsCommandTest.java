package ring0.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ring0 as}: writing executables, reporting errors, exit codes. */
class AsCommandTest {

    static final String HELLO = """
            untyped
            import write
            section .text
            main:
                mov edi, 1
                lea rsi, [rel msg]
                mov edx, 6
                sub rsp, 8
                call [rel write]
                add rsp, 8
                mov eax, 3
                ret
            section .data
            msg: bytes "hello", 10
            """;

    @TempDir
    Path dir;

    @Test
    void writesAnExecutableElfThatRunsOnLinux() throws Exception {
        Path src = write("hi.tal", HELLO);
        Path exe = dir.resolve("hi");
        Cli.Result r = Cli.run("as", src.toString(), "-o", exe.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        byte[] elf = Files.readAllBytes(exe);
        assertThat(Arrays.copyOf(elf, 4)).containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(Files.getPosixFilePermissions(exe)).contains(PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hi.tal", "hi");
        }

        assumeTrue(isLinuxX64(), "runs the executable only on Linux x86-64");
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(p.exitValue()).isEqualTo(3);
    }

    @Test
    void defaultOutputIsTheSourceWithoutTalAndOverwritesAnOldFile() throws Exception {
        Path src = write("prog.tal", HELLO);
        Path exe = dir.resolve("prog");
        Files.writeString(exe, "old contents");
        Cli.Result r = Cli.run("as", src.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(exe)).startsWith(0x7f, 'E', 'L', 'F');
    }

    @Test
    void outputThroughASymbolicLinkReplacesTheLinkedFileNotTheLink() throws Exception {
        Path src = write("prog.tal", HELLO);
        Path real = Files.writeString(dir.resolve("real"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real.getFileName());
        Cli.Result r = Cli.run("as", src.toString(), "-o", link.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllBytes(real)).startsWith(0x7f, 'E', 'L', 'F');
    }

    @Test
    void sourceWithoutTalExtensionNeedsAnOutputName() throws Exception {
        Path src = write("prog.s", HELLO);
        Cli.Result r = Cli.run("as", src.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("use -o OUT");
        assertThat(r.noStackTrace()).isTrue();
    }

    @Test
    void assemblyErrorsAreLocatedShownWithTheLineAndWriteNothing() throws Exception {
        Path src = write("bad.tal", """
                untyped
                section .text
                main:
                    mvo eax, 1
                    jmp nowhere
                    ret
                """);
        Path exe = dir.resolve("bad");
        Cli.Result r = Cli.run("as", src.toString(), "-o", exe.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(src + ":4:5: error: ").contains("mvo");
        // The offending line follows, with a caret under column 5.
        assertThat(r.err()).contains("\n        mvo eax, 1\n        ^\n");
        assertThat(r.err()).contains(src + ":5:").contains("nowhere");
        assertThat(r.err()).containsPattern("\\d+ errors?\\n$");
        assertThat(r.noStackTrace()).isTrue();
        assertThat(exe).doesNotExist();
    }

    @Test
    void missingSourceIsAnIoErrorOnOneLine() {
        Cli.Result r = Cli.run("as", dir.resolve("nope.tal").toString(), "-o", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("ring0 as: cannot read '" + dir.resolve("nope.tal") + "': no such file\n");
    }

    @Test
    void directoryAsSourceIsAnIoError() {
        Cli.Result r = Cli.run("as", dir.toString(), "-o", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("is a directory").hasLineCount(1);
    }

    @Test
    void unwritableOutputIsAnIoError() throws Exception {
        Path src = write("ok.tal", HELLO);
        Cli.Result noDir = Cli.run("as", src.toString(), "-o", dir.resolve("no/such/dir/out").toString());
        assertThat(noDir.status()).isEqualTo(2);
        assertThat(noDir.err()).contains("cannot write", "does not exist").hasLineCount(1);

        Cli.Result isDir = Cli.run("as", src.toString(), "-o", dir.toString());
        assertThat(isDir.status()).isEqualTo(2);
        assertThat(isDir.err()).contains("cannot write", "is a directory").hasLineCount(1);
    }

    @Test
    void typedProgramsNeedPreconditionsAndSayWhere() throws Exception {
        Path src = write("typed.tal", """
                section .text
                main:
                    xor eax, eax
                    ret
                """);
        Cli.Result r = Cli.run("as", src.toString(), "-o", dir.resolve("typed").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(src + ":2:1: error: ").contains("main");
        assertThat(r.noStackTrace()).isTrue();
    }

    @Test
    void nonUtf8SourceIsRejected() throws Exception {
        Path src = dir.resolve("latin1.tal");
        Files.write(src, new byte[] {'m', 'a', 'i', 'n', ':', (byte) 0xe9, '\n'});
        Cli.Result r = Cli.run("as", src.toString(), "-o", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("not UTF-8").hasLineCount(1);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static boolean isLinuxX64() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
