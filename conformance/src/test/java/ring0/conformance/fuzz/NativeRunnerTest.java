package ring0.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.asm.Program;

/**
 * The native runner tells an exit status from a signal, even where a shell or
 * {@link Process#exitValue()} could not ({@code exit 139} versus SIGSEGV), and
 * kills what runs too long. Small untyped programs built by the ring0
 * assembler do each thing.
 */
class NativeRunnerTest {
    private static Path dir;
    private static Sandbox box;

    @BeforeAll
    static void sandbox() throws Exception {
        dir = Files.createTempDirectory("ring0-native-runner");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        box = new Sandbox(dir, "box");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        box.close();
        Files.deleteIfExists(dir);
    }

    private static byte[] program(String body) throws Exception {
        Program p = Assembler.assemble("section .text\nmain:\n" + body, "t.tal", true);
        return ElfWriter.write(p);
    }

    private static NativeRunner.Outcome run(byte[] elf) {
        return box.run(elf, List.of(), false, 2_000);
    }

    @Test
    void exitStatus139IsAnExitNotASegfault() throws Exception {
        assertThat(run(program("    mov eax, 139\n    ret\n"))).isEqualTo(new NativeRunner.Outcome.Exited(139));
        assertThat(run(program("    xor eax, eax\n    ret\n"))).isEqualTo(new NativeRunner.Outcome.Exited(0));
    }

    @Test
    void segfaultIsSeenAsASignal() throws Exception {
        NativeRunner.Outcome o = run(program("    xor eax, eax\n    mov rax, [rax]\n    ret\n"));
        assertThat(o).isEqualTo(new NativeRunner.Outcome.Signaled(NativeRunner.SIGSEGV));
        assertThat(NativeRunner.isCrash(NativeRunner.SIGSEGV)).isTrue();
    }

    @Test
    void divisionByZeroIsSigfpe() throws Exception {
        NativeRunner.Outcome o = run(program("    xor ecx, ecx\n    xor edx, edx\n    div rcx\n    ret\n"));
        assertThat(o).isEqualTo(new NativeRunner.Outcome.Signaled(NativeRunner.SIGFPE));
    }

    /** ud2 (0F 0B) is not in the instruction model, so it is patched over two nops. */
    @Test
    void undefinedInstructionIsSigill() throws Exception {
        Program p = Assembler.assemble("section .text\nmain:\n    nop\n    nop\n    ret\n", "t.tal", true);
        byte[] elf = ElfWriter.write(p);
        int at = ElfMap.of(elf).section(".text").start() + p.text().length - 3;
        assertThat(elf[at] & 0xff).isEqualTo(0x90);
        elf[at] = 0x0f;
        elf[at + 1] = 0x0b;
        assertThat(run(elf)).isEqualTo(new NativeRunner.Outcome.Signaled(NativeRunner.SIGILL));
    }

    @Test
    void anEndlessLoopTimesOut() throws Exception {
        long t0 = System.nanoTime();
        NativeRunner.Outcome o = box.run(program("    jmp main\n"), List.of(), false, 300);
        assertThat(o).isEqualTo(new NativeRunner.Outcome.TimedOut());
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 10_000L);
    }

    /** Unbounded recursion meets the poll's limit: the stop service ends it with status 134, which is no crash. */
    @Test
    void unboundedRecursionIsStoppedNotCrashed() throws Exception {
        assertThat(run(program("    call main\n    ret\n"))).isEqualTo(new NativeRunner.Outcome.Exited(ring0.asm.LinuxStub.EXIT_STOPPED));
    }

    /**
     * Under root, a mutant runs as nobody: creating a file in a directory only
     * root may write to fails with EACCES (-13, exit status 243), while the
     * same program creates it in the sandbox itself.
     */
    @Test
    void childrenDoNotRunAsRoot() throws Exception {
        assumeTrue(NativeRunner.dropsPrivileges(), "not running as root");
        Path sub = dir.resolve("box/rootonly");
        Files.createDirectories(sub);
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
        String create = """
                import open
                section .text
                main:
                    sub rsp, 8
                    lea rdi, [rel path]
                    mov esi, 0x41           ; O_WRONLY | O_CREAT
                    mov edx, 0x1a4          ; 0644
                    call [rel open]
                    add rsp, 8
                    ret
                section .data
                path: bytes "%s"
                """;
        byte[] denied = ElfWriter.write(Assembler.assemble(create.formatted("rootonly/x"), "t.tal", true));
        assertThat(run(denied)).isEqualTo(new NativeRunner.Outcome.Exited(256 - 13));
        assertThat(sub.resolve("x")).doesNotExist();
        byte[] allowed = ElfWriter.write(Assembler.assemble(create.formatted("created"), "t.tal", true));
        assertThat(run(allowed)).isInstanceOf(NativeRunner.Outcome.Exited.class);
        assertThat(dir.resolve("box/created")).exists();
    }

    /** Arguments arrive, and the process runs in the sandbox directory with its files. */
    @Test
    void argumentsAndWorkingDirectory() throws Exception {
        // exit status = argc, which counts the program path
        byte[] elf = program("    mov rax, [rdi]\n    ret\n");
        assertThat(box.run(elf, List.of("a.txt", "b.txt"), false, 2_000)).isEqualTo(new NativeRunner.Outcome.Exited(3));
        assertThat(box.run(elf, List.of(), true, 2_000)).isEqualTo(new NativeRunner.Outcome.Exited(1));
    }
}
