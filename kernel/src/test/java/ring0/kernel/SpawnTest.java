package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.kernel.fs.StdStreams;

/**
 * {@code spawn}, {@code wait} and {@code kill} in kernel mode, with verified
 * programs: children get their arguments and the parent's standard streams,
 * their status reaches {@code wait}, and every error a program can provoke is
 * a {@code -errno}, while other processes go on.
 */
class SpawnTest {
    /** Prints each of its arguments on a line and exits with status 3. */
    static final String ECHO = """
            import write
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                mov rbx, rdi
                xor r12d, r12d
            .loop: {rbx: [bytes], r12: int | junk :: code{rax: int | s} :: s}
                cmp r12, [rbx]
                jae .done
                mov rsi, [rbx + r12*8 + 8]
                mov rdx, [rsi]
                mov edi, 1
                call [rel write]
                lea rsi, [rel nl]
                mov rdx, [rsi]
                mov edi, 1
                call [rel write]
                inc r12
                jmp .loop
            .done: {| junk :: code{rax: int | s} :: s}
                mov eax, 3
                add rsp, 8
                ret
            section .data
            nl: bytes 10
            """;

    /** Loops until it is stopped. */
    static final String SPIN = """
            main: {rdi: [bytes] | code{rax: int | s} :: s}
            .spin: {| code{rax: int | s} :: s}
                jmp .spin
            """;

    /** Recurses without end: meets the stack limit. */
    static final String DEEP = """
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                call main
                add rsp, 8
                ret
            """;

    /**
     * Spawns argument 1 with arguments "alpha" and "beta gamma", waits, and
     * returns the child's status; 100+errno if spawn fails, 200+errno if wait does.
     */
    static final String RUN = """
            import spawn, wait
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                mov ecx, 1
                cmp rcx, [rdi]
                jae .usage
                mov rdi, [rdi + rcx*8 + 8]
                lea rsi, [rel args]
                call [rel spawn]
                test rax, rax
                js .spawn_failed
                mov rdi, rax
                call [rel wait]
                test rax, rax
                js .wait_failed
                add rsp, 8
                ret
            .spawn_failed: {rax: int | junk :: code{rax: int | s} :: s}
                neg rax
                add rax, 100
                add rsp, 8
                ret
            .wait_failed: {rax: int | junk :: code{rax: int | s} :: s}
                neg rax
                add rax, 200
                add rsp, 8
                ret
            .usage: {| junk :: code{rax: int | s} :: s}
                mov eax, 99
                add rsp, 8
                ret
            section .data
            args: bytes "alpha", 0, "beta gamma", 0
            """;

    /**
     * Spawns argument 1 four times, kills each child, waits for each, and
     * returns 0 if every status was 137 (else 1; 100+errno if a call failed).
     */
    static final String KILLER = """
            import spawn, wait, kill
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                push r14
                mov ecx, 1
                cmp rcx, [rdi]
                jae .usage
                mov rbx, [rdi + rcx*8 + 8]
                mov r12d, 4
            .start: {rbx: bytes, r12: int | junk :: code{rax: int | s} :: s}
                mov rdi, rbx
                lea rsi, [rel none]
                call [rel spawn]
                test rax, rax
                js .failed
                push rax
                push rax
                dec r12
                jz .kill
                mov rdi, rbx
                lea rsi, [rel none]
                call [rel spawn]
                test rax, rax
                js .failed3
                mov r13, rax
                mov rdi, rbx
                lea rsi, [rel none]
                call [rel spawn]
                test rax, rax
                js .failed3
                mov r14, rax
                mov rdi, rbx
                lea rsi, [rel none]
                call [rel spawn]
                test rax, rax
                js .failed3
                mov r12, rax
                mov rdi, [rsp]
                call [rel kill]
                test rax, rax
                js .failed3
                mov rdi, r13
                call [rel kill]
                test rax, rax
                js .failed3
                mov rdi, r14
                call [rel kill]
                test rax, rax
                js .failed3
                mov rdi, r12
                call [rel kill]
                test rax, rax
                js .failed3
                xor ebx, ebx
                mov rdi, [rsp]
                call [rel wait]
                cmp rax, 137
                setne bl
                mov rdi, r13
                call [rel wait]
                cmp rax, 137
                setne al
                or bl, al
                mov rdi, r14
                call [rel wait]
                cmp rax, 137
                setne al
                or bl, al
                mov rdi, r12
                call [rel wait]
                cmp rax, 137
                setne al
                or bl, al
                movzx eax, bl
                add rsp, 16
                pop r14
                ret
            .kill: {| int :: int :: junk :: code{rax: int | s} :: s}
                mov eax, 98
                add rsp, 16
                pop r14
                ret
            .failed3: {rax: int | int :: int :: junk :: code{rax: int | s} :: s}
                add rsp, 16
            .failed: {rax: int | junk :: code{rax: int | s} :: s}
                neg rax
                add rax, 100
                pop r14
                ret
            .usage: {| junk :: code{rax: int | s} :: s}
                mov eax, 99
                pop r14
                ret
            section .data
            none: bytes ""
            """;

    /**
     * Every error case in turn: returns 0 if each gave the errno expected,
     * else the number of the first that did not.
     */
    static final String ERRORS = """
            import spawn, wait, kill
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                mov ebx, 1
                xor edi, edi
                call [rel kill]
                cmp rax, -22
                jne .bad
                mov ebx, 2
                mov rdi, -5
                call [rel kill]
                cmp rax, -22
                jne .bad
                mov ebx, 3
                mov edi, 999999
                call [rel kill]
                cmp rax, -3
                jne .bad
                mov ebx, 4
                mov edi, 999999
                call [rel wait]
                cmp rax, -10
                jne .bad
                mov ebx, 5
                xor edi, edi
                call [rel wait]
                cmp rax, -10
                jne .bad
                mov ebx, 6
                lea rdi, [rel missing]
                lea rsi, [rel none]
                call [rel spawn]
                cmp rax, -2
                jne .bad
                mov ebx, 7
                lea rdi, [rel plain]
                lea rsi, [rel none]
                call [rel spawn]
                cmp rax, -13
                jne .bad
                mov ebx, 8
                lea rdi, [rel junk]
                lea rsi, [rel none]
                call [rel spawn]
                cmp rax, -8
                jne .bad
                mov ebx, 9
                lea rdi, [rel echo]
                lea rsi, [rel unterminated]
                call [rel spawn]
                cmp rax, -22
                jne .bad
                mov ebx, 10
                lea rdi, [rel dir]
                lea rsi, [rel none]
                call [rel spawn]
                cmp rax, -13
                jne .bad
                mov ebx, 11
                lea rdi, [rel nulpath]
                lea rsi, [rel none]
                call [rel spawn]
                cmp rax, -22
                jne .bad
                mov ebx, 12
                lea rdi, [rel toolong]
                lea rsi, [rel none]
                call [rel spawn]
                cmp rax, -36
                jne .bad
                mov ebx, 13
                lea rdi, [rel echo]
                lea rsi, [rel pieces256]
                call [rel spawn]
                cmp rax, -7
                jne .bad
                xor ebx, ebx
            .bad: {rbx: int | junk :: code{rax: int | s} :: s}
                mov eax, ebx
                add rsp, 8
                ret
            section .data
            missing: bytes "missing.elf"
            plain: bytes "plain.txt"
            junk: bytes "junk.bin"
            echo: bytes "echo.elf"
            dir: bytes "sub"
            nulpath: bytes "echo", 0, ".elf"
            none: bytes ""
            unterminated: bytes "x"
            toolong: zbytes 4096
            pieces256: zbytes 256
            """;

    /** {@code kill(1)}: returns its errno (0 if it succeeded). */
    static final String KILL_PID_1 = """
            import kill
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                mov edi, 1
                call [rel kill]
                neg rax
                add rsp, 8
                ret
            """;

    /** Spawns its own argument 0 again and again, ignoring every error, and never waits: a spawn bomb. */
    static final String BOMB = """
            import spawn
            section .text
            main: {rdi: [bytes] | code{rax: int | s} :: s}
                sub rsp, 8
                mov rbx, rdi
            .again: {rbx: [bytes] | junk :: code{rax: int | s} :: s}
                xor ecx, ecx
                cmp rcx, [rbx]
                jae .again
                mov rdi, [rbx + rcx*8 + 8]
                lea rsi, [rel none]
                call [rel spawn]
                jmp .again
            section .data
            none: bytes ""
            """;

    Path root;
    Kernel kernel;
    final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("ring0-spawn");
        kernel = new Kernel(root, Kernel.Options.defaults()
                .withDiagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8)).withMaxProcesses(64));
        install("echo.elf", ECHO);
        install("spin.elf", SPIN);
        install("deep.elf", DEEP);
        Files.writeString(root.resolve("plain.txt"), "not a program\n");
        Path junk = Files.writeString(root.resolve("junk.bin"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectory(root.resolve("sub"));
    }

    @AfterEach
    void tearDown() throws Exception {
        kernel.close();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static byte[] elf(String source, String name) throws Exception {
        return ElfWriter.write(Assembler.assemble(source, name));
    }

    void install(String file, String source) throws Exception {
        Path p = root.resolve(file);
        Files.write(p, elf(source, file));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    record Ran(Exit exit, String out) {}

    Ran run(String source, String... args) throws Exception {
        return start(source, args).await();
    }

    record Started(Job job, ByteArrayOutputStream out) {
        Ran await() throws InterruptedException {
            Exit e = job.waitFor(30_000);
            assertThat(e).as("ended in time").isNotNull();
            return new Ran(e, out.toString(StandardCharsets.UTF_8));
        }
    }

    Started start(String source, String... args) throws Exception {
        var out = new ByteArrayOutputStream();
        Job j = kernel.start(elf(source, "parent.tal"), "parent", List.of(args),
                new StdStreams(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()));
        return new Started(j, out);
    }

    @Test
    void aChildGetsItsArgumentsAndTheParentsStdoutAndItsStatusReachesWait() throws Exception {
        Ran r = run(RUN, "echo.elf");
        assertThat(r.out()).isEqualTo("echo.elf\nalpha\nbeta gamma\n");
        assertThat(r.exit().status()).isEqualTo(3);
    }

    @Test
    void aChildPathResolvesInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.copy(root.resolve("echo.elf"), root.resolve("bin/e"));
        assertThat(run(RUN, "/bin/e").exit().status()).isEqualTo(3);
        assertThat(run(RUN, "../../../../bin/e").exit().status()).as(".. stops at the root").isEqualTo(3);
        assertThat(run(RUN, "/bin/sh").exit().status()).as("the host's /bin/sh is not inside the root").isEqualTo(100 + 2);
    }

    @Test
    void everyErrorIsAnErrno() throws Exception {
        Ran r = run(ERRORS);
        assertThat(r.exit().status()).as("number of the first check that failed").isEqualTo(0);
    }

    @Test
    void aProcessCannotKillOneThatIsNotItsChild() throws Exception {
        Job spinner = kernel.start(elf(SPIN, "spin.tal"), "spinner", List.of(), StdStreams.system());
        assertThat(spinner.pid()).as("the first process of a fresh kernel").isEqualTo(1);
        assertThat(run(KILL_PID_1).exit().status()).as("EPERM").isEqualTo(1);
        assertThat(spinner.waitFor(50)).as("the spinner still runs").isNull();
        assertThat(spinner.kill()).isTrue();
    }

    @Test
    void anIllTypedChildIsRefusedWithEnoexecAndTheCheckersReason() throws Exception {
        Path bad = root.resolve("bad.elf");
        // a well-formed ring0 executable whose code the checker rejects: it reads through an int
        Files.write(bad, ElfWriter.write(Assembler.assemble("""
                main: {rdi: [bytes] | code{rax: int | s} :: s}
                    mov rax, [rdi]
                    mov rax, [rax]
                    ret
                """, "bad.tal", true)));
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rwx------"));
        assertThat(run(RUN, "bad.elf").exit().status()).isEqualTo(100 + 8);
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("spawn by pid").contains("bad.elf");
    }

    @Test
    void killedChildrenReport137() throws Exception {
        Ran r = run(KILLER, "spin.elf");
        assertThat(r.exit().status()).isEqualTo(0);
        assertThat(kernel.jobs()).as("no child left running").isEmpty();
    }

    @Test
    void aChildMeetingTheStackLimitEndsAloneAndTheParentSees134() throws Exception {
        assertThat(run(RUN, "deep.elf").exit().status()).isEqualTo(134);
    }

    @Test
    void severalFamiliesAtOnce() throws Exception {
        List<Started> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(start(KILLER, "spin.elf"));
            all.add(start(RUN, "echo.elf"));
            all.add(start(RUN, "deep.elf"));
        }
        for (int i = 0; i < all.size(); i++) {
            Ran r = all.get(i).await();
            int expected = switch (i % 3) {
                case 0 -> 0;
                case 1 -> 3;
                default -> 134;
            };
            assertThat(r.exit().status()).as("process %d: %s", i, r.exit()).isEqualTo(expected);
        }
    }

    @Test
    void aParentKilledWhileWaitingEndsPromptlyAndItsChildGoesOn() throws Exception {
        Started s = start(RUN, "spin.elf");
        Job child = null;
        for (int i = 0; i < 500 && child == null; i++) {
            for (Job j : kernel.jobs()) if (j.name().equals("spin.elf")) child = j;
            if (child == null) Thread.sleep(10);
        }
        assertThat(child).as("the child started").isNotNull();
        long t0 = System.nanoTime();
        assertThat(kernel.kill(s.job().pid())).isTrue();
        Exit e = s.job().waitFor(5_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(137);
        assertThat(ms).as("a waiting parent ends within a few polls of the wait").isLessThan(1_000);
        assertThat(child.waitFor(200)).as("the orphan still runs").isNull();
        assertThat(child.kill()).isTrue();
        assertThat(child.waitFor(5_000).status()).isEqualTo(137);
    }

    @Test
    void theProcessTableHasACapacityAndSpawnSaysEagain() throws Exception {
        try (Kernel small = new Kernel(root, Kernel.Options.defaults().withMaxProcesses(3))) {
            byte[] spin = elf(SPIN, "spin.tal");
            List<Job> spinners = new ArrayList<>();
            spinners.add(small.start(spin, "spin", List.of(), StdStreams.system()));
            spinners.add(small.start(spin, "spin", List.of(), StdStreams.system()));
            var out = new ByteArrayOutputStream();
            Exit parent = small.start(elf(RUN, "run.tal"), "run", List.of("echo.elf"),
                    new StdStreams(new ByteArrayInputStream(new byte[0]), out, out)).waitFor(30_000);
            assertThat(parent.status()).as("the parent is the third process: its spawn finds the table full")
                    .isEqualTo(100 + 11);
            spinners.add(small.start(spin, "spin", List.of(), StdStreams.system()));
            Kernel.Refused refused = null;
            try {
                small.start(spin, "one too many", List.of(), StdStreams.system());
            } catch (Kernel.Refused e) {
                refused = e;
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).contains("too many processes (3 live)");
            for (Job j : spinners) j.kill();
            for (Job j : spinners) assertThat(j.waitFor(5_000).status()).isEqualTo(137);
            assertThat(small.run(elf(RUN, "run.tal"), "run", List.of("echo.elf")).status())
                    .as("slots are given back when processes end").isEqualTo(3);
        }
    }

    @Test
    void aSpawnBombFillsTheTableButHarmsNoOneAndCanBeEnded() throws Exception {
        install("bomb.elf", BOMB);
        try (Kernel small = new Kernel(root, Kernel.Options.defaults().withMaxProcesses(12)
                .withDiagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8)))) {
            Job bystander = small.start(elf(SPIN, "spin.tal"), "bystander", List.of(), StdStreams.system());
            small.start(Files.readAllBytes(root.resolve("bomb.elf")), "bomb.elf", List.of(), StdStreams.system());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (small.jobs().size() < 12 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(small.jobs()).as("the bomb fills the table, and no more").hasSize(12);
            assertThat(bystander.waitFor(100)).as("the bystander still runs").isNull();
            // end the bombs: each pass kills every bomb alive; the ones spawned meanwhile go in the next pass
            int passes = 0;
            while (passes < 1000 && small.jobs().stream().anyMatch(j -> j.name().equals("bomb.elf"))) {
                for (Job j : small.jobs()) if (j.name().equals("bomb.elf")) j.kill();
                passes++;
                Thread.sleep(2);
            }
            assertThat(small.jobs()).as("after %d passes only the bystander is left", passes).containsExactly(bystander);
            assertThat(bystander.waitFor(50)).as("the bystander still runs").isNull();
            var out = new ByteArrayOutputStream();
            Exit e = small.start(elf(RUN, "run.tal"), "run", List.of("echo.elf"),
                    new StdStreams(new ByteArrayInputStream(new byte[0]), out, out)).waitFor(30_000);
            assertThat(e.status()).as("the kernel starts and runs processes again").isEqualTo(3);
            assertThat(bystander.kill()).isTrue();
        }
    }
}
