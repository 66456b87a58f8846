package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.asm.Assembler;
import ring0.asm.Program;
import ring0.elf.ElfReader;
import ring0.kernel.Kernel;
import ring0.verify.Checker;

/**
 * The two benchmark programs: they assemble, the checker accepts them, and
 * the same ELF runs on both Linux gates and in kernel mode with output the
 * harness can parse. Tiny iteration counts and sizes only.
 */
class ProgramsTest {
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    static BenchProgram build(String name, Path out) throws Exception {
        return BenchProgram.build(BenchProgram.sourceDir(null), name, out);
    }

    @Test
    void bothProgramsAssembleAndTheCheckerAcceptsThem() throws Exception {
        for (String name : List.of("lat_syscall", "iozone")) {
            BenchProgram p = build(name, tmp);
            assertThat(Files.readAllBytes(p.exe())).isEqualTo(p.elf());
            assertThat(Files.isExecutable(p.exe())).isTrue();
            assertThat(Checker.check(p.elf(), name).image().imports()).isNotEmpty();
        }
        var imports = ElfReader.read(build("lat_syscall", tmp).elf()).imports().stream()
                .map(s -> s.importName()).toList();
        assertThat(imports).contains("getpid", "getppid", "read", "write", "fstat", "open", "close", "clock", "spawn", "wait");
        BenchProgram child = build(LatencyBench.CHILD, tmp);
        Checker.check(child.elf(), child.name()); // throws if it were ill-typed
        assertThat(Files.isExecutable(child.exe())).isTrue();
    }

    @Test
    void iozonesBufferBytesStartOn64Bytes() throws Exception {
        // Linux copies to and from a misaligned buffer several times more slowly; the program pads
        // .data for it, using its own count of import slots, which this test keeps honest.
        Path src = BenchProgram.sourceDir(null).resolve("iozone.tal");
        Program p = Assembler.assemble(Files.readString(src), src.toString());
        Program.Symbol buf = p.symbols().stream().filter(s -> s.name().equals("iobuf")).findFirst().orElseThrow();
        assertThat((buf.imageOffset() + 8) % 64).as("iobuf's first byte, image offset " + (buf.imageOffset() + 8)).isZero();
    }

    @Test
    void aMissingSourceDirectoryIsReported() {
        assertThatThrownBy(() -> BenchProgram.sourceDir(tmp.resolve("nope")))
                .isInstanceOf(BenchException.class).hasMessageContaining("no such directory");
        assertThatThrownBy(() -> BenchProgram.build(tmp, "lat_syscall", tmp))
                .isInstanceOf(BenchException.class).hasMessageContaining("cannot read");
    }

    @Test
    void latSyscallRunsEveryTestOnBothLinuxGatesAndInKernelMode() throws Exception {
        BenchProgram p = build("lat_syscall", tmp);
        Path child = build(LatencyBench.CHILD, tmp).exe();
        Path file = Files.writeString(tmp.resolve("stat.dat"), "x".repeat(100));
        try (Kernel k = new Kernel(tmp, Kernel.Options.defaults())) {
            List<Runner> runners = List.of(new NativeRunner(Gate.INT80, p.exe(), TIMEOUT),
                    new NativeRunner(Gate.SYSCALL, p.exe(), TIMEOUT), new KernelRunner(Gate.RING0, k, p.elf(), p.name(), tmp, TIMEOUT));
            for (Runner r : runners) {
                for (String test : LatencyBench.TESTS) {
                    List<String> args = new ArrayList<>(List.of(test, "20", "3"));
                    if (LatencyBench.NEEDS_FILE.contains(test)) args.add(r.path(file));
                    if (test.equals(LatencyBench.SPAWN)) args.add(r.path(child));
                    List<Measurement> ms = Measurement.parseAll("lat_syscall", r.run(args));
                    assertThat(ms).as(test + " on " + r.gate()).hasSize(3)
                            .allSatisfy(m -> {
                                assertThat(m.test()).isEqualTo(test);
                                assertThat(m.count()).isEqualTo(20);
                            });
                }
            }
            assertThat(k.jobs()).as("every child was waited for").isEmpty();
        }
    }

    @Test
    void spawnFailsOnAChildThatCannotStartOrDoesNotExitWithZero() throws Exception {
        BenchProgram p = build("lat_syscall", tmp);
        Path plain = Files.writeString(tmp.resolve("plain.dat"), "not a program");
        try (Kernel k = new Kernel(tmp, Kernel.Options.defaults().withDiagnostics(new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream())))) {
            for (Runner r : List.of(new NativeRunner(Gate.INT80, p.exe(), TIMEOUT), new NativeRunner(Gate.SYSCALL, p.exe(), TIMEOUT),
                    new KernelRunner(Gate.RING0, k, p.elf(), p.name(), tmp, TIMEOUT))) {
                // not executable: EACCES from spawn itself
                assertThatThrownBy(() -> r.run(List.of("spawn", "5", "1", r.path(plain)))).as(r.gate().label)
                        .isInstanceOf(BenchException.class).hasMessageContaining("spawn failed: result -13");
                // lat_syscall itself without arguments: a child that starts and exits with 2 (usage)
                assertThatThrownBy(() -> r.run(List.of("spawn", "5", "1", r.path(p.exe())))).as(r.gate().label)
                        .isInstanceOf(BenchException.class).hasMessageContaining("spawn failed: result 2");
            }
            assertThat(k.jobs()).isEmpty();
        }
    }

    @Test
    void aFailingCallIsAnErrorNotAFastResult() throws Exception {
        BenchProgram p = build("lat_syscall", tmp);
        Runner linux = new NativeRunner(Gate.SYSCALL, p.exe(), TIMEOUT);
        assertThatThrownBy(() -> linux.run(List.of("fstat", "10", "1", tmp.resolve("missing").toString())))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("exit status 1").hasMessageContaining("fstat failed: result -2");
        assertThatThrownBy(() -> linux.run(List.of("nosuchtest", "10", "1")))
                .isInstanceOf(BenchException.class).hasMessageContaining("exit status 2").hasMessageContaining("usage");
        try (Kernel k = new Kernel(tmp, Kernel.Options.defaults())) {
            Runner ring0 = new KernelRunner(Gate.RING0, k, p.elf(), p.name(), tmp, TIMEOUT);
            assertThatThrownBy(() -> ring0.run(List.of("openclose", "10", "1", "/missing")))
                    .isInstanceOf(BenchException.class).hasMessageContaining("openclose failed: result -2");
        }
    }

    @Test
    void iozoneMovesEveryByteOnLinuxAndInKernelMode() throws Exception {
        BenchProgram p = build("iozone", tmp);
        try (Kernel k = new Kernel(tmp, Kernel.Options.defaults())) {
            for (Runner r : List.of(new NativeRunner(Gate.SYSCALL, p.exe(), TIMEOUT),
                    new KernelRunner(Gate.RING0, k, p.elf(), p.name(), tmp, TIMEOUT))) {
                for (String flags : List.of("-", "c", "e", "ec")) {
                    Path a = tmp.resolve(r.gate().label + flags + "a"), b = tmp.resolve(r.gate().label + flags + "b");
                    // 40000 bytes is 2 whole records of 16384; the rest of a record is not written
                    List<Measurement> ms = Measurement.parseAll("iozone",
                            r.run(List.of("40000", "16384", flags, r.path(a), r.path(b))));
                    assertThat(ms).extracting(Measurement::test).containsExactly("write", "rewrite", "read", "reread");
                    assertThat(ms).allSatisfy(m -> assertThat(m.count()).isEqualTo(2 * 2 * 16384));
                    for (Path f : List.of(a, b)) {
                        byte[] data = Files.readAllBytes(f);
                        assertThat(data).as(f.toString()).hasSize(2 * 16384);
                        for (int i = 0; i < data.length; i++) {
                            if (data[i] != (byte) (i % 16384 + 'a')) throw new AssertionError(f + " byte " + i + " is " + data[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void iozoneRefusesBadArguments() throws Exception {
        BenchProgram p = build("iozone", tmp);
        Runner linux = new NativeRunner(Gate.SYSCALL, p.exe(), TIMEOUT);
        for (List<String> args : List.of(List.of("65536", "16384", "-"), List.of("65536", "16384", "x", "f"),
                List.of("0", "16384", "-", "f"), List.of("65536", "abc", "-", "f"))) {
            assertThatThrownBy(() -> linux.run(args)).as(args.toString())
                    .isInstanceOf(BenchException.class).hasMessageContaining("exit status 2");
        }
        assertThatThrownBy(() -> linux.run(List.of("65536", "16384", "-", tmp.resolve("no/such/dir").toString())))
                .isInstanceOf(BenchException.class).hasMessageContaining("write failed: result -2");
    }
}
